"""Attribution relations and claim attribution (``unspin.attribution``) on short texts, through
the real spaCy pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pytest
from spancheck import assert_exact_offsets

from unspin.article import parse_text
from unspin.attribution import Relation, attribute_claim, find_quotes, find_relations
from unspin.hedges import find_hedges
from unspin.pipeline import article_parts, parse, sentence_lookup, sentences_of
from unspin.report import Attribution, Hedge, Sentence


@dataclass
class Analysed:
    """One text with its sentences, hedges and relations, as the pipeline builds them."""

    text: str
    sentences: list[Sentence]
    hedges: list[Hedge]
    relations: list[Relation]

    def sentence(self, words: str) -> Sentence:
        """The first sentence that contains ``words``."""
        return next(s for s in self.sentences if words in s.text)

    def attribution(self, words: str) -> Attribution:
        """The attribution of the first sentence that contains ``words``."""
        return attribute_claim(self.sentence(words), self.relations, self.hedges, self.text,
                               find_quotes(self.text, self.sentences))

    def relation(self, cue: str) -> Relation:
        """The only relation whose cue reads ``cue``."""
        (found,) = [r for r in self.relations if r.cue is not None and r.cue.text == cue]
        return found

    def as_report(self) -> dict:
        """Everything with a span, with every sentence's attribution, as a report-like dict."""
        return {
            "text": self.text,
            "sentences": [s.model_dump() for s in self.sentences],
            "hedges": [h.model_dump() for h in self.hedges],
            "relations": [_relation_dict(r) for r in self.relations],
            "attributions": [
                attribute_claim(s, self.relations, self.hedges, self.text).model_dump()
                for s in self.sentences
            ],
        }


def _relation_dict(rel: Relation) -> dict:
    out = asdict(rel)
    for role in ("source", "cue", "content"):
        span = getattr(rel, role)
        out[role] = span.model_dump() if span is not None else None
    return out


def analyse(nlp, body: str, title: str = "Talks in Moscow") -> Analysed:
    """Run the attribution stage on an article made of ``title`` and ``body``, and check that
    every span it returns is exact."""
    article = parse_text(f"{title}\n\n{body}\n")
    parts = article_parts(article)
    doc = parse(nlp, article.text, parts)
    sentences = sentences_of(doc, parts)
    hedges = find_hedges(doc, sentence_lookup(sentences))
    relations = find_relations(doc, sentences, hedges)
    result = Analysed(article.text, sentences, hedges, relations)
    assert_exact_offsets(result.as_report())
    return result


# --- relations -------------------------------------------------------------------------------


def test_said_that(nlp) -> None:
    a = analyse(nlp, "Senator Mary Jones said that the bill would pass next week.")
    rel = a.relation("said")
    assert rel.source is not None and rel.source.text == "Senator Mary Jones"
    assert rel.content.text.endswith("the bill would pass next week")
    assert rel.source_kind == "named"
    assert rel.kind == "report"
    assert not rel.quoted


def test_quote_then_pronoun_said(nlp) -> None:
    a = analyse(nlp, "Mary Jones spoke to reporters. “We will not back down,” she said.")
    rel = a.relation("said")
    assert rel.source is not None and rel.source.text == "she"
    assert rel.content.text == "“We will not back down,”"
    assert rel.quoted
    assert rel.source_kind == "pronoun"
    assert rel.resolved == "Mary Jones"


def test_quote_then_said_and_name(nlp) -> None:
    a = analyse(nlp, "“The talks failed,” said Kremlin spokesperson Dmitry Peskov.")
    rel = a.relation("said")
    assert rel.source is not None and rel.source.text == "Kremlin spokesperson Dmitry Peskov"
    assert rel.content.text == "“The talks failed,”"
    assert rel.resolved == "Dmitry Peskov"


def test_quote_around_the_cue_is_one_content(nlp) -> None:
    a = analyse(nlp, "“We will vote no,” Brown said, “and so will others.” He then left.")
    rel = a.relation("said")
    assert rel.content.text.startswith("“We will vote no,”")
    assert rel.content.text.endswith("“and so will others.”")


def test_quote_over_two_sentences(nlp) -> None:
    a = analyse(nlp, "“The first part is here. The second part is there,” Smith said.")
    rel = a.relation("said")
    assert rel.content.text == "“The first part is here. The second part is there,”"
    first = a.sentence("first part")
    assert first.text == "“The first part is here."
    assert a.attribution("first part").kind == "direct_quote"
    assert a.attribution("second part").kind == "direct_quote"


def test_according_to(nlp) -> None:
    a = analyse(nlp, "The army lost 300 tanks, according to the defence ministry.")
    rel = a.relation("according to")
    assert rel.source is not None and rel.source.text == "the defence ministry"
    assert rel.content.text == "The army lost 300 tanks"
    assert a.attribution("300 tanks").kind == "attributed"


def test_pronoun_resolves_to_the_nearest_named_person(nlp) -> None:
    a = analyse(nlp, "Kremlin spokesperson Dmitry Peskov met reporters on Monday. "
                     "He said the invitation was still open.")
    rel = a.relation("said")
    assert rel.source is not None and rel.source.text == "He"
    assert rel.resolved == "Dmitry Peskov"


def test_pronoun_with_two_candidates_stays_unresolved(nlp) -> None:
    a = analyse(nlp, "Vladimir Putin met Dmitry Peskov on Monday. He said the talks went well.")
    assert a.relation("said").resolved is None


def test_one_word_name_resolves_to_the_full_name(nlp) -> None:
    a = analyse(nlp, "Dmitry Peskov arrived on Monday. "
                     "Peskov told reporters that the invitation stands.")
    rel = a.relation("told")
    assert rel.source is not None and rel.source.text == "Peskov"
    assert rel.source_kind == "named"
    assert rel.resolved == "Dmitry Peskov"


@pytest.mark.parametrize(("body", "cue", "source"), [
    ("Officials said the border was closed.", "said", "Officials"),
    ("Sources say the deal is off.", "say", "Sources"),
    ("The town was shelled, with reports indicating that 40 shells were fired.",
     "indicating", "reports"),
])
def test_anonymous_sources(nlp, body: str, cue: str, source: str) -> None:
    a = analyse(nlp, body)
    rel = a.relation(cue)
    assert rel.source is not None and rel.source.text == source
    assert rel.source_kind == "anonymous"
    assert a.attribution(body.split()[1]).kind == "anonymous"


def test_named_spokesperson_is_not_anonymous(nlp) -> None:
    a = analyse(nlp, "A Pentagon spokesperson said the drill was routine.")
    assert a.relation("said").source_kind == "named"


@pytest.mark.parametrize(("body", "kind"), [
    # owners the small model leaves untagged, and owners after "for" and "in"
    ("A WeWork spokesperson said the layoffs would begin this week.", "named"),
    ("A spokeswoman for Neumann said he had no comment on the matter.", "named"),
    ("The Wrap's report said the deal was worth $2 billion.", "named"),
    ("According to a report in the Argus Leader, the plant will close.", "named"),
    # a place is where, not whose; officials of a named body are still unnamed people
    ("A poll in Iowa found that 40 percent of voters backed the plan.", "anonymous"),
    ("Pentagon officials said the drill was routine.", "anonymous"),
    ("A report on Monday said the deal was worth $2 billion.", "anonymous"),
])
def test_a_source_is_named_by_its_owner(nlp, body: str, kind: str) -> None:
    a = analyse(nlp, body)
    (rel,) = [r for r in a.relations if r.source is not None]
    assert rel.source_kind == kind


def test_cues_inside_quotes_are_not_relations(nlp) -> None:
    a = analyse(nlp, "“Smith said that it works,” Jones told the court.")
    assert [r.cue.text for r in a.relations if r.cue is not None] == ["told"]
    rel = a.relation("told")
    assert rel.source is not None and rel.source.text == "Jones"
    assert rel.content.text == "“Smith said that it works,”"


def test_cue_inside_another_relations_content_is_not_a_relation(nlp) -> None:
    a = analyse(nlp, "Jones said that Smith claimed the vote was rigged.")
    assert [r.cue.text for r in a.relations if r.cue is not None] == ["said"]


def test_cue_span_keeps_auxiliaries_and_negation(nlp) -> None:
    a = analyse(nlp, "The ministry has not confirmed that the talks will go ahead.")
    rel = a.relation("has not confirmed")
    assert rel.source is not None and rel.source.text == "The ministry"


def test_a_claim_can_rest_on_its_subjects_own_stance(nlp) -> None:
    """A stance is the source's own position: the claim rests on the source (PolNeAR
    annotates it as an attribution), but a report relation is preferred when there is one."""
    a = analyse(nlp, "The senator backed the bill on Tuesday.")
    assert a.relation("backed").kind == "stance"
    att = a.attribution("bill")
    assert att.kind == "attributed" and att.source.text == "The senator"


def test_a_physical_attack_is_no_cue(nlp) -> None:
    a = analyse(nlp, "Russian forces attacked Kharkiv on Tuesday, killing five people.")
    assert a.attribution("Kharkiv").kind == "unattributed"
    b = analyse(nlp, "Trump attacked Clinton for her vote on the war.")
    assert b.attribution("her vote").kind == "attributed"


def test_parenthetical_cues_need_a_subject(nlp) -> None:
    a = analyse(nlp, "The move, Carr explained, was the result of three years of preparation.")
    rel = a.relation("explained")
    assert rel.source is not None and rel.source.text == "Carr"
    assert "the result of three years" in rel.content.text
    assert a.attribution("three years").kind == "attributed"
    b = analyse(nlp, "The support the mayor has is easily explained by the new tax cuts.")
    assert b.attribution("tax cuts").kind == "unattributed"


def test_closing_cue_parsed_as_a_conjunct(nlp) -> None:
    a = analyse(nlp, "This includes a special force to assist Kurdish fighters, Defense "
                     "Secretary Ash Carter told a Senate panel Wednesday.")
    assert a.attribution("special force").kind == "attributed"
    assert a.attribution("special force").source.text == "Defense Secretary Ash Carter"
    b = analyse(nlp, "The council approved the budget, and the mayor told reporters.")
    assert b.attribution("approved the budget").kind == "unattributed"


def test_quoted_claim_without_a_cue_is_a_quote(nlp) -> None:
    a = analyse(nlp, "The minister spoke for an hour.\n\n“We will cut taxes by 5 percent "
                     "next year and nobody will stop us.”")
    assert a.attribution("cut taxes").kind == "direct_quote"


def test_quotation_only_cues(nlp) -> None:
    a = analyse(nlp, "Prices continued to rise in March.")
    assert a.attribution("Prices").kind == "unattributed"
    b = analyse(nlp, "She continued, “We will not give up on the harbour.”")
    assert b.attribution("give up").kind == "direct_quote"


def test_find_quotes_pairs_marks_and_ignores_stray_ones(nlp) -> None:
    a = analyse(nlp, "He said “yes” and “no.” Then a stray “ mark.")
    quotes = [a.text[s:e] for s, e in find_quotes(a.text, a.sentences)]
    assert quotes == ["“yes”", "“no.”"]


def test_no_text_no_relations(nlp) -> None:
    a = analyse(nlp, "The economy grew by 3 percent last year.")
    assert a.relations == []


# --- claim attribution -----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "words", "kind"), [
    ("“The ceasefire is over,” the minister said.", "ceasefire", "direct_quote"),
    ("Jane Smith said the ceasefire is over.", "ceasefire", "attributed"),
    ("Officials said the ceasefire is over.", "ceasefire", "anonymous"),
    ("The general reportedly ordered the strike.", "strike", "hedged"),
    ("The general allegedly ordered the strike.", "strike", "hedged"),
    ("Jane Smith allegedly said the ceasefire is over.", "ceasefire", "hedged"),
    ("The economy grew by 3 percent last year.", "economy", "unattributed"),
])
def test_attribute_claim_kinds(nlp, body: str, words: str, kind: str) -> None:
    a = analyse(nlp, body)
    result = a.attribution(words)
    assert result.kind == kind
    if kind in ("direct_quote", "attributed"):
        assert result.source is not None and result.cue is not None
    if kind == "hedged":
        assert result.hedge is not None
        assert result.hedge.text in ("reportedly", "allegedly")
    if kind == "unattributed":
        assert result.source is None and result.cue is None and result.hedge is None


def test_named_source_in_a_subordinate_clause_does_not_vouch(nlp) -> None:
    a = analyse(nlp, "The town was shelled on Monday, with Jane Smith noting that the "
                     "bombardment lasted four hours.")
    assert a.attribution("shelled").kind == "unattributed"


# --- the example article ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(nlp, example_text: str) -> Analysed:
    article = parse_text(example_text)
    parts = article_parts(article)
    doc = parse(nlp, article.text, parts)
    sentences = sentences_of(doc, parts)
    hedges = find_hedges(doc, sentence_lookup(sentences))
    result = Analysed(article.text, sentences, hedges, find_relations(doc, sentences, hedges))
    assert_exact_offsets(result.as_report())
    return result


def test_example_invitation_is_attributed_to_peskov(example: Analysed) -> None:
    result = example.attribution("extended an invitation")
    assert result.kind == "attributed"
    assert result.cue is not None and result.cue.text == "confirmed"
    assert result.source is not None and "Peskov" in result.source.text
    rel = example.relation("confirmed")
    assert rel.resolved == "Dmitry Peskov"


def test_example_phone_call_is_hedged(example: Analysed) -> None:
    result = example.attribution("phone call")
    assert result.kind == "hedged"
    assert result.hedge is not None


def test_example_munitions_rest_on_anonymous_reports(example: Analysed) -> None:
    result = example.attribution("23 munitions")
    assert result.kind == "anonymous"
    assert result.source is not None and result.source.text == "reports"
    assert result.cue is not None and result.cue.text == "indicating"


def test_example_drone_claim_is_unattributed(example: Analysed) -> None:
    assert example.attribution("intercepted 92 Ukrainian drones").kind == "unattributed"


@pytest.mark.parametrize("body", [
    "Ukraine has not commented on the reported attack.",
    "The ministry never confirmed that 40 soldiers were killed.",
])
def test_a_negated_cue_vouches_for_nothing(nlp, body: str) -> None:
    attribution = analyse(nlp, body).attribution(body[:12])
    assert attribution.source is None
    assert attribution.kind in ("unattributed", "hedged")  # "the reported attack" hedges


def test_title_words_are_dropped_from_resolved_names(nlp) -> None:
    result = analyse(nlp, "Councilmember Omar Bell opposed the plan on Monday. "
                          "He said that the city could not afford it.")
    rel = result.relation("said")
    assert rel.resolved is None or not rel.resolved.lower().startswith("councilmember")


# --- patterns found on PolNeAR's training split ----------------------------------------------


def test_straight_and_curly_marks_close_each_other(nlp) -> None:
    body = ('"The police have done an unbelievable job,” he continued. "They are afraid."\n\n'
            'The candidate spoke for an hour. "They sue," he said.')
    a = analyse(nlp, body)
    quotes = [a.text[s:e] for s, e in find_quotes(a.text, a.sentences)]
    assert quotes == ['"The police have done an unbelievable job,”', '"They are afraid."',
                      '"They sue,"']
    assert a.attribution("They sue").kind == "direct_quote"


@pytest.mark.parametrize(("body", "words", "source"), [
    ("It is now cleared to fly again, according to the F.A.A.", "cleared", "the F.A.A."),
    ("Clinton has raised $2.7 million from tech donors, while Sanders has raised $6 million, "
     "according to new Crowdpac research.", "tech donors", "new Crowdpac research"),
    ("According to recent polling, the billionaire candidate is once again strongly leading "
     "the field.", "billionaire", "recent polling"),
    ("According to the FBI summary, Mills and another aide asked the employee to delete "
     "emails in December 2014.", "delete emails", "the FBI summary"),
])
def test_according_to_opening_or_closing_vouches_for_the_sentence(nlp, body, words,
                                                                   source) -> None:
    att = analyse(nlp, body).attribution(words)
    assert att.kind == "attributed" and att.source.text == source


def test_a_poll_closing_the_sentence_is_its_source(nlp) -> None:
    a = analyse(nlp, "In the fall of 2007, Clinton held a 24-point lead over Obama among black "
                     "voters in a CNN national poll. She grew up in a small town.")
    att = a.attribution("24-point lead")
    assert att.kind == "attributed" and att.source.text == "a CNN national poll"
    assert a.attribution("small town").kind == "unattributed"


def test_headline_and_transcript_speaker_labels(nlp) -> None:
    a = analyse(nlp, "TRUMP: I will tell you this. Racial divisions have gotten worse, not "
                     "better.\n\nThe debate drew 40 million viewers.",
                title="Sanders: Clinton Email Story Has Moved")
    assert a.attribution("Email Story").source.text == "Sanders"
    assert a.attribution("Racial divisions").source.text == "TRUMP"
    assert a.attribution("40 million").kind == "unattributed"


def test_making_the_case_is_a_report_cue(nlp) -> None:
    a = analyse(nlp, "Sanders is making an impassioned case to a gathering of black leaders "
                     "that he is the Democrat who can win. The company made a profit of $3 "
                     "million.")
    att = a.attribution("impassioned")
    assert att.kind == "attributed" and att.source.text == "Sanders"
    assert att.cue.text == "is making an impassioned case"
    assert a.attribution("profit").kind == "unattributed"


def test_hoping_is_a_cue_although_spacy_lemmatises_it_as_hop(nlp) -> None:
    a = analyse(nlp, "Sanders, meanwhile, hopes that winning 475 delegates will give him "
                     "momentum. The senator is sticking to his message, hoping to avoid any "
                     "misstep that could undermine his lead of 20 points. The rabbit hopped "
                     "away.")
    assert a.attribution("475 delegates").source.text == "Sanders"
    assert a.attribution("20 points").source.text == "The senator"
    assert not [r for r in a.relations if r.cue is not None and "hop" in r.cue.text.lower()
                and "hopped" in r.cue.text]


@pytest.mark.parametrize(("body", "kind", "source"), [
    ("Politifact seized on Trump's claim that there have been thousands of shootings in "
     "Chicago this year alone.", "attributed", "Trump"),
    ("Clinton is seizing upon a New York Times report that Trump had a net loss of more "
     "than $915 million in 1995.", "attributed", "New York Times"),
    ("There were reports that 40 people died in the blast.", "anonymous", "reports"),
])
def test_a_speech_noun_with_its_own_that_clause_is_a_cue(nlp, body: str, kind: str,
                                                         source: str) -> None:
    a = analyse(nlp, body)
    att = a.attribution(body.split()[0])
    assert att.kind == kind
    assert att.source is not None and att.source.text == source
    assert_exact_offsets(a.as_report())


def test_a_relative_clause_is_not_a_speech_nouns_content(nlp) -> None:
    """ "the report that he wrote": "that" is the relative pronoun, not a marker."""
    a = analyse(nlp, "The report that he wrote in 2019 covered 40 factories.")
    assert a.attribution("factories").kind == "unattributed"


def test_a_sentence_opening_with_source_and_cue_rests_on_the_source(nlp) -> None:
    """The parser hangs "notes" under the clause after the colon; the sentence still opens
    with the source and its cue, so the whole of it is the source's."""
    body = ("Mr. McKinley notes that we're at a rare economic moment where three things are "
            "happening at once: Home values are rising nicely in many parts of the country, "
            "interest rates are low and lenders are a bit looser than they were.")
    att = analyse(nlp, body).attribution("McKinley")
    assert att.kind == "attributed"
    assert att.source is not None and att.source.text == "Mr. McKinley"


@pytest.mark.parametrize("body", [
    "Donald Trump has recently made comments about the possibility of voter fraud in the "
    "election.",
    "Mrs. Clinton delivered a forceful promise to strengthen labor unions and raise wages.",
    "Trump offered increasingly strident defenses of his campaign manager on Tuesday.",
])
def test_a_light_verb_with_a_speech_act_object_is_a_cue(nlp, body: str) -> None:
    att = analyse(nlp, body).attribution(body.split()[1])
    assert att.kind == "attributed"
    assert att.source is not None and att.source.text in body.split(" has")[0]


def test_a_light_verb_with_an_ordinary_object_is_no_cue(nlp) -> None:
    body = "Trump made a fortune in real estate during the 1980s."
    assert analyse(nlp, body).attribution("fortune").kind == "unattributed"


def _attributions(a: Analysed) -> list[Attribution]:
    """Every sentence's attribution, as the claims stage computes them (together)."""
    from unspin.attribution import attribute_claims

    return attribute_claims(a.sentences, a.relations, a.hedges, a.text,
                            find_quotes(a.text, a.sentences))


def test_poll_figures_run_on_in_the_next_sentences(nlp) -> None:
    body = ("Trump leads with 33 percent, according to a new Fox News poll. Carson was second "
            "at 12 percent. Rubio was at 10 percent.\n\nThe race tightened by 4 percent.")
    a = analyse(nlp, body)
    atts = {s.text: att for s, att in zip(a.sentences, _attributions(a), strict=True)}
    poll = atts["Trump leads with 33 percent, according to a new Fox News poll."]
    assert poll.kind == "attributed" and poll.source is not None
    for carried in ("Carson was second at 12 percent.", "Rubio was at 10 percent."):
        assert atts[carried] == poll
    # a new paragraph starts afresh; a single sentence is attributed on its own
    assert atts["The race tightened by 4 percent."].kind == "unattributed"
    assert a.attribution("Carson").kind == "unattributed"


@pytest.mark.parametrize(("body", "word", "source"), [
    ("He concluded by implying that some government insurance would be necessary.",
     "insurance", "He"),
    ("Sexton was quick to point out that not all Trump supporters espoused such views.",
     "supporters", "Sexton"),
    ("Mr. Trump has rallied thousands by promising to impose 35 percent tariffs on imports.",
     "tariffs", "Mr. Trump"),
    # "X did Y, saying Z": what X did and said, so the whole sentence rests on X
    ("Hillary Clinton has taken a swipe at Donald Trump's stance on Brexit, saying that "
     "bombastic comments do more harm than good during such times.", "swipe", "Hillary Clinton"),
    ("Hillary Clinton has embraced Mr. Obama's approach on the climate, promising to meet and "
     "in some cases exceed his goals without new legislation.", "embraced", "Hillary Clinton"),
])
def test_the_source_of_a_gerund_participle_or_adjectives_complement(nlp, body: str, word: str,
                                                                    source: str) -> None:
    att = analyse(nlp, body).attribution(word)
    assert att.kind == "attributed"
    assert att.source is not None and att.source.text == source


def test_after_for_the_gerunds_source_is_the_object(nlp) -> None:
    """ "scolded Romney for suggesting ...": Romney suggested it, not the one who scolded."""
    a = analyse(nlp, "Priebus scolded Romney for suggesting that immigrants should deport "
                     "themselves.")
    rel = a.relation("suggesting")
    assert rel.source is not None and rel.source.text == "Romney"


def test_the_writers_own_observation_rests_on_the_writer(nlp) -> None:
    a = analyse(nlp, "Running the disk test, we saw a write speed of 2890 megabytes per second. "
                     "Trump saw a crowd of 20,000 people in Ohio.")
    own = a.attribution("megabytes")
    assert own.kind == "attributed" and own.source is not None and own.source.text == "we"
    assert a.attribution("crowd").kind == "unattributed"  # only "we" / "I" observe for the text


def test_a_participle_after_a_cue_verb_leaves_the_quote_to_decide(nlp) -> None:
    body = ("“We do not see a link to terrorism,” the mayor said, adding that it would take "
            "more hours before details emerge.")
    att = analyse(nlp, body).attribution("terrorism")
    assert att.kind == "direct_quote" and att.source is not None
    assert att.source.text == "the mayor"


def test_a_participle_with_its_own_subject_or_marker_is_no_report_of_the_sentence(nlp
                                                                                 ) -> None:
    body = "The bridge collapsed in 2019 after heavy rain, while engineers were saying it was safe."
    assert analyse(nlp, body).attribution("collapsed").kind == "unattributed"


def test_claiming_a_victory_is_winning_it_not_saying_it(nlp) -> None:
    a = analyse(nlp, "The Vermont senator has struggled to win the south, instead claiming "
                     "some victories in the Midwest. The Ohio governor claimed that the polls "
                     "were wrong. The group claimed responsibility for the attack.")
    assert a.attribution("Midwest").kind == "unattributed"
    assert a.attribution("polls").kind == "attributed"
    assert a.attribution("responsibility").kind == "attributed"


def test_inverted_cue_with_the_clause_parsed_as_a_second_subject(nlp) -> None:
    """ "..., said Christine Link, ...": when the parser makes the reported clause a second
    subject of "said", the subject after the cue is the source and the clause the content.
    The parse is given (the small model gives it only in some contexts)."""
    from spacy.tokens import Doc

    words = ["Clevelanders", "get", "nervous", ",", "said", "Christine", "Link", ",",
             "an", "activist", "."]
    heads = [1, 4, 1, 4, 4, 6, 4, 6, 9, 6, 4]
    deps = ["nsubj", "nsubj", "acomp", "punct", "ROOT", "compound", "nsubj", "punct",
            "det", "appos", "punct"]
    pos = ["PROPN", "VERB", "ADJ", "PUNCT", "VERB", "PROPN", "PROPN", "PUNCT", "DET",
           "NOUN", "PUNCT"]
    lemmas = ["Clevelanders", "get", "nervous", ",", "say", "Christine", "Link", ",", "a",
              "activist", "."]
    spaces = [True, True, False, True, True, True, False, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
              lemmas=lemmas,
              tags=["NNPS", "VBP", "JJ", ",", "VBD", "NNP", "NNP", ",", "DT", "NN", "."],
              sent_starts=[True] + [False] * 10)
    text = doc.text
    sentences = [Sentence(start=0, end=len(text), text=text, index=0, paragraph=0)]
    (rel,) = find_relations(doc, sentences)
    assert rel.cue.text == "said"
    assert rel.source.text == "Christine Link, an activist"
    assert rel.content.text == "Clevelanders get nervous"
