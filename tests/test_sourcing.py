"""Tests for unspin.sourcing: the source inventory and the sourcing flags, on real parses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spancheck import assert_exact_offsets

from unspin.article import load_article
from unspin.attribution import Relation, attribute_claim, find_quotes, find_relations
from unspin.entities import find_entities
from unspin.hedges import find_hedges
from unspin.pipeline import article_parts, parse, sentence_lookup, sentences_of
from unspin.quantities import find_quantities
from unspin.report import Claim, Flag, Report, Source, claim_id, claim_index
from unspin.sourcing import (
    find_sources,
    is_outlet,
    kind_of_name,
    normalise_name,
    party_of_name,
    person_name,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "examples"
EXAMPLE = EXAMPLES / "000_82c52a8aa8fc80f9.txt"
WIRE_REPORT = Path(__file__).resolve().parents[1] / "examples" / "wire_report.txt"

WIRE = """Millbrook Council Approves $48 Million Budget After Long Debate

Council members debate the budget at City Hall on Tuesday. (Photo: Jane Doe/City Herald)

The Millbrook City Council voted 7-2 on Tuesday to approve a $48 million budget for next year, \
according to the city clerk's office.

Mayor Linda Hayes said the plan raises spending on road repairs by 12 percent without \
increasing property taxes. “This budget keeps our promises to residents,” Hayes told reporters \
after the vote.

Councilmember Omar Bell, who voted against the plan, said the city was drawing too heavily on \
its reserves. “We are spending money we will need in a downturn,” he said.

Finance director Carla Mendes told the council that reserves would fall to $6 million, below \
the level recommended by state auditors.

The budget also adds four positions at the public library, according to a staff report \
presented at the meeting.

Residents who spoke during public comment were divided. Several asked the council to fund a new \
youth center.

The budget takes effect on July 1.
"""

CREDITS = """Harbour Festival Draws Record Crowds

Visitors walk along the pier on Saturday. (Photo courtesy of the Harbour Business Alliance)

Fireworks light up the bay. (AP Photo/John Smith)

Photo: Reuters

More than 40,000 people attended the three-day festival, organisers said on Sunday.

The Harbour Business Alliance, which sponsors the event, said local shops reported their \
busiest weekend of the year.

The festival returns next summer.
"""

_CONFLICT = """Russia Says Its Air Defences Downed Ukrainian Drones Over Belgorod

Russia’s Defence Ministry said on Monday that its air defences destroyed 30 Ukrainian drones \
over the Belgorod region overnight.

“The attack was repelled,” Kremlin spokesperson Dmitry Peskov told reporters in Moscow.

{third}

Ukraine’s forces have stepped up drone attacks on Russian territory in recent months, and \
Ukrainian officials describe the strikes as a response to Russian shelling.
"""
ONE_SIDED = _CONFLICT.format(third="Russian regional governor Vyacheslav Gladkov said two people "
                                   "were injured by falling debris.")
BALANCED = _CONFLICT.format(third="Ukrainian air force spokesman Yuriy Ihnat said the drones had "
                                  "hit an ammunition depot near the border.")

CLAUSES = """Talks Stall Over Port Deal

A senior official, who spoke on condition of anonymity, said the talks had stalled over pay.

A Pentagon spokesperson, John Kirby, said the ships would stay in port until Friday.

Dr. Jane Roe, who chairs the harbour board, told reporters that the port lost $3 million.
"""


@dataclass
class Analysed:
    """A report with sources and flags filled, and the relations they were built from."""

    report: Report
    relations: list[Relation]
    doc: Doc

    def source(self, name: str) -> Source:
        found = [s for s in self.report.sources if s.name == name]
        assert len(found) == 1, [s.name for s in self.report.sources]
        return found[0]

    def relations_of(self, source: Source, cue: str) -> list[Relation]:
        """The ``report`` relations with cue ``cue`` whose source span holds one of the
        mentions of ``source``, in text order."""
        return [r for r in self.relations
                if r.kind == "report" and r.cue is not None and r.cue.text == cue and
                r.source is not None and
                any(r.source.start <= m.start and m.end <= r.source.end
                    for m in source.mentions)]

    def flags(self, code: str) -> list[Flag]:
        return [f for f in self.report.flags if f.code == code]

    def claim_with(self, words: str) -> int:
        """The index of the one claim whose text contains ``words``."""
        found = [i for i, c in enumerate(self.report.claims) if words in c.text]
        assert len(found) == 1, words
        return found[0]

    def number(self, words: str) -> str:
        """The id (C1, C2, ...) of the one claim whose text contains ``words``."""
        return claim_id(self.claim_with(words))

    def flags_in_claim(self, code: str, words: str) -> list[Flag]:
        claim = self.report.claims[self.claim_with(words)]
        return [f for f in self.flags(code)
                if f.start is not None and claim.start <= f.start < claim.end]


def build_report(nlp, text: str) -> tuple[Report, list[Relation], Doc]:
    """A Report for ``text`` filled as the pipeline fills it before sourcing, with every
    non-title sentence that has a verb as a claim (the real pipeline uses a check-worthiness
    model instead), each attributed by :func:`attribute_claim`."""
    article = load_article(text)
    parts = article_parts(article)
    doc = parse(nlp, article.text, parts)
    sentences = sentences_of(doc, parts)
    index = sentence_lookup(sentences)
    report = Report(text=article.text, title=article.title, captions=list(article.captions),
                    sentences=sentences, entities=find_entities(doc, index),
                    quantities=find_quantities(doc, index), hedges=find_hedges(doc, index))
    relations = find_relations(doc, sentences, report.hedges)
    quotes = find_quotes(article.text, sentences)
    for s in sentences:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if s.part == "title" or not any(t.pos_ in ("VERB", "AUX") for t in span):
            continue
        report.claims.append(Claim(
            start=s.start, end=s.end, text=s.text, sentence=s.index, checkworthiness=1.0,
            quantities=[i for i, q in enumerate(report.quantities) if q.sentence == s.index],
            entities=sorted({e.id for e in report.entities for m in e.mentions
                             if m.sentence == s.index}),
            attribution=attribute_claim(s, relations, report.hedges, article.text, quotes),
        ))
    return report, relations, doc


def analyse(nlp, text: str) -> Analysed:
    """Build the report, run :func:`find_sources`, store its output and check every span."""
    report, relations, doc = build_report(nlp, text)
    report.sources, report.flags = find_sources(report, relations, doc)
    report.check()
    assert assert_exact_offsets(report.model_dump()) > 0
    return Analysed(report, relations, doc)


def check_invariants(a: Analysed) -> None:
    """What every result keeps: exact spans, sorted flags, valid claim indices, parts."""
    text = a.report.text
    for source in a.report.sources:
        assert source.mentions, source.name
        for m in source.mentions:
            assert text[m.start:m.end] == m.text
        assert all(0 <= claim_index(c) < len(a.report.claims) for c in source.claims)
        assert source.where == [p for p in ("title", "caption", "body") if p in source.where]
    for flag in a.report.flags:
        if flag.start is not None:
            assert text[flag.start:flag.end] == flag.text
    keys = [(f.start is None, f.start or 0) for f in a.report.flags]
    assert keys == sorted(keys)


# --- the example article ------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(nlp) -> Analysed:
    if not EXAMPLE.exists():
        pytest.skip(f"example article not found: {EXAMPLE}")
    return analyse(nlp, EXAMPLE.read_text(encoding="utf-8"))


def test_example_invariants(example):
    check_invariants(example)


def test_example_caption_outlet_is_unused(example):
    post = example.source("The Washington Post")
    assert post.kind == "outlet"
    assert post.where == ["caption"]
    assert post.claims == []
    flags = [f for f in example.flags("unused_source") if f.text == "The Washington Post"]
    assert len(flags) == 1
    assert "caption" in flags[0].message and "The Washington Post" in flags[0].message


def test_example_caption_document_is_unused(example):
    documents = [s for s in example.report.sources if s.kind == "document"]
    assert [d.name for d in documents] == ["Unclassified U.S. intelligence document"]
    assert documents[0].where == ["caption"]
    assert any(f.text == "Unclassified U.S. intelligence document"
               for f in example.flags("unused_source"))


def test_example_peskov_supports_the_invitation(example):
    peskov = example.source("Dmitry Peskov")
    assert peskov.kind == "person"
    assert peskov.where == ["body"]
    assert example.number("invitation to Zelenskiy") in peskov.claims
    assert not any("Peskov" in (f.text or "") for f in example.flags("unused_source"))


def test_example_pronoun_merges_into_putin(example):
    putin = example.source("Vladimir Putin")
    assert {m.text for m in putin.mentions} >= {"Vladimir Putin", "he"}
    assert putin.where == ["title", "body"]
    assert not any(f.text == "Putin" for f in example.flags("unused_source"))


def test_example_putin_is_a_source_because_he_speaks(example):
    """ "he reiterated his focus on ..." is a ``report`` relation of Putin's: he said
    something, so he is a source, the claim of that sentence rests on him (his words are
    most of it), and he is not flagged as an unused headline source."""
    putin = example.source("Vladimir Putin")
    assert putin.kind == "person"
    assert putin.claims == [example.number("Eastern Economic Forum")]
    [rel] = example.relations_of(putin, "reiterated")
    assert rel.source is not None and rel.source.text == "he"
    assert rel.resolved == "Vladimir Putin" and rel.content.text.startswith("his focus")
    spans = [(m.start, m.end) for m in putin.mentions]
    for flag in example.report.flags:
        assert (flag.start, flag.end) not in spans, flag


def test_example_people_only_talked_about_are_no_sources(example):
    """People named only in a relation's content are no sources; the subjects of ``stance``
    relations are sources only of the claims that rest on their own stance ("Romania and
    other nations have declined to send forces")."""
    stance = {r.source.text for r in example.relations
              if r.kind == "stance" and r.source is not None}
    assert {"Romania and other nations", "European leaders"} <= stance
    names = {s.name for s in example.report.sources}
    assert not names & {"Romania and other nations", "Such actions", "Zelenskiy"}
    for name in ("Romania", "European leaders"):
        assert example.source(name).claims


def test_example_drone_figure_is_unattributed(example):
    flags = example.flags_in_claim("unattributed_claim", "intercepted 92 Ukrainian drones")
    assert len(flags) == 1
    claim = example.report.claims[example.claim_with("intercepted 92 Ukrainian drones")]
    assert (flags[0].start, flags[0].end) == (claim.start, claim.end)
    assert "92 Ukrainian drones" in flags[0].message


def test_example_phone_call_is_hedged(example):
    flags = example.flags_in_claim("hedged_claim", "phone call")
    assert len(flags) == 1
    assert flags[0].text in {"reportedly", "allegedly", "reported"}


def test_example_munitions_rest_on_anonymous_reports(example):
    flags = example.flags_in_claim("anonymous_claim", "23 munitions")
    assert len(flags) == 1
    assert "reports" in (flags[0].text or "")
    assert example.source("reports").kind == "anonymous"


def test_example_is_one_sided(example):
    flags = example.flags("one_sided_sourcing")
    assert len(flags) == 1
    assert flags[0].start is None and flags[0] is example.report.flags[-1]
    assert "Russia" in flags[0].message and "Ukraine" in flags[0].message


def test_example_names_a_claim_rather_than_its_subjects_as_sources(example):
    names = {s.name for s in example.report.sources}
    assert not names & {"Ukrainian", "Russian", "Kyiv", "U.S.", "Black Sea", "Zelenskiy"}


# --- an ordinary wire report ----------------------------------------------------------------


@pytest.fixture(scope="module")
def wire(nlp) -> Analysed:
    return analyse(nlp, WIRE)


def test_wire_invariants(wire):
    check_invariants(wire)


def test_wire_most_claims_attributed(wire):
    body = [c for c in wire.report.claims
            if wire.report.sentences[c.sentence].part == "body"]
    attributed = [c for c in body if c.attribution.kind in ("direct_quote", "attributed")]
    assert len(attributed) * 2 > len(body)


def test_wire_named_sources_merge_across_mentions(wire):
    hayes = wire.source("Linda Hayes")
    assert hayes.kind == "person"
    assert {m.text for m in hayes.mentions} == {"Linda Hayes", "Hayes"}
    assert hayes.claims == [wire.number("road repairs"), wire.number("keeps our promises")]
    bell = wire.source("Omar Bell")
    assert {m.text for m in bell.mentions} == {"Omar Bell", "he"}
    assert wire.number("spending money we will need") in bell.claims
    mendes = wire.source("Carla Mendes")
    assert mendes.claims == [wire.number("reserves would fall")]
    clerk = wire.source("city clerk's office")
    assert clerk.kind == "organisation"
    assert clerk.claims == [wire.number("voted 7-2")]


def test_wire_photo_credit_outlet_is_a_source_but_no_borrowed_authority(wire):
    """ "(Photo: Jane Doe/City Herald)" credits a picture: routine, never unused_source."""
    herald = wire.source("City Herald")
    assert herald.kind == "outlet"
    assert herald.where == ["caption"]
    assert wire.flags("unused_source") == []


def test_wire_photographer_is_no_source(wire):
    assert not any("Jane Doe" in s.name for s in wire.report.sources)


def test_wire_has_no_unattributed_or_one_sided_flags(wire):
    assert wire.flags("unattributed_claim") == []
    assert wire.flags("one_sided_sourcing") == []


# --- the shipped wire report: names without titles, clauses and roles -----------------------


@pytest.fixture(scope="module")
def wire_report(nlp) -> Analysed:
    if not WIRE_REPORT.exists():
        pytest.skip(f"example not found: {WIRE_REPORT}")
    return analyse(nlp, WIRE_REPORT.read_text(encoding="utf-8"))


def test_wire_report_invariants(wire_report):
    check_invariants(wire_report)


def test_wire_report_relative_clause_and_title_leave_the_name(wire_report):
    chen = wire_report.source("David Chen")
    assert chen.kind == "person"
    assert {m.text for m in chen.mentions} == {"Councilmember David Chen", "Chen"}
    assert wire_report.number("one-time federal funds") in chen.claims
    assert wire_report.number("covering a hole") in chen.claims
    assert [r.source.text for r in wire_report.relations_of(chen, "said") if r.source] == [
        "Councilmember David Chen, who voted against the plan", "Chen"]
    assert not any("Councilmember" in s.name or "who voted" in s.name
                   for s in wire_report.report.sources)


def test_wire_report_appositive_names_the_person(wire_report):
    ortiz = wire_report.source("Samuel Ortiz")
    assert ortiz.kind == "person"
    assert "Samuel Ortiz" in {m.text for m in ortiz.mentions}
    assert ortiz.claims == [wire_report.number("reserves would fall")]
    assert not any("budget director" in s.name for s in wire_report.report.sources)


def test_wire_report_titled_and_bare_names_are_one_source(wire_report):
    alvarez = [s for s in wire_report.report.sources if "Alvarez" in s.name]
    assert [s.name for s in alvarez] == ["Maria Alvarez"]
    assert {m.text for m in alvarez[0].mentions} == {"Maria Alvarez", "Alvarez"}
    assert alvarez[0].claims == [wire_report.number("40 police officers"),
                                 wire_report.number("protects the services")]


def test_wire_report_unnamed_sources(wire_report):
    record = wire_report.source("council's published voting record")
    assert record.kind == "document"
    assert record.claims == [wire_report.number("approved a $1.2 billion budget")]
    office = wire_report.source("mayor's office")
    assert office.kind == "organisation"
    assert [m.text for m in office.mentions] == ["The mayor's office"]
    assert wire_report.flags("unused_source") == []


# --- appositives and relative clauses ------------------------------------------------------


@pytest.fixture(scope="module")
def clauses(nlp) -> Analysed:
    return analyse(nlp, CLAUSES)


def test_clauses_invariants(clauses):
    check_invariants(clauses)


def test_anonymous_source_name_drops_its_relative_clause(clauses):
    official = clauses.source("senior official")
    assert official.kind == "anonymous"
    assert [m.text for m in official.mentions] == ["A senior official"]
    assert official.claims == [clauses.number("stalled over pay")]
    [rel] = clauses.relations_of(official, "said")
    assert rel.source is not None and rel.source.text.endswith("condition of anonymity")


def test_role_of_an_organisation_with_a_named_person_is_the_person(clauses):
    kirby = clauses.source("John Kirby")
    assert kirby.kind == "person"
    assert kirby.claims == [clauses.number("stay in port")]
    assert "Pentagon" not in {s.name for s in clauses.report.sources}


def test_honorific_and_relative_clause_leave_the_name(clauses):
    roe = clauses.source("Jane Roe")
    assert roe.claims == [clauses.number("lost $3 million")]
    assert not any("who chairs" in s.name for s in clauses.report.sources)


# --- credits ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def credits(nlp) -> Analysed:
    return analyse(nlp, CREDITS)


def test_credits_invariants(credits):
    check_invariants(credits)


def test_credit_used_in_body_is_not_flagged(credits):
    alliance = credits.source("The Harbour Business Alliance")
    assert alliance.kind == "organisation"
    assert alliance.where == ["caption", "body"]
    assert alliance.claims == [credits.number("busiest weekend")]
    assert not any("Harbour" in (f.text or "") for f in credits.flags("unused_source"))


def test_agency_credits_are_routine(credits):
    assert credits.source("AP").kind == "outlet"
    assert credits.source("Reuters").kind == "outlet"
    assert credits.flags("unused_source") == []
    assert not any("John Smith" in s.name for s in credits.report.sources)


BORROWED = """Harvard Medical School Researchers Say Tea Cures Insomnia

A cup of green tea on a table. (Photo courtesy of the Green Leaf Growers Council)

Photo: AP

Drinking two cups of tea before bed cures insomnia in a week, the company behind the \
Sleepwell brand says.

Sleepwell sells its tea in 40 countries.
"""

SUBJECT = """Fact Check: Skyrim Sells 30 Million Copies

Skyrim says its new edition is its best, and Bethesda says Skyrim sold 30 million copies.

Fans say Skyrim keeps selling because of its mods, Bethesda said.
"""


@pytest.fixture(scope="module")
def borrowed(nlp) -> Analysed:
    return analyse(nlp, BORROWED)


def test_headline_authority_and_handout_credit_are_borrowed(borrowed):
    flagged = {f.text: f.message for f in borrowed.flags("unused_source")}
    assert set(flagged) == {"Harvard Medical School Researchers", "Green Leaf Growers Council"}
    assert flagged["Harvard Medical School Researchers"].startswith("The headline cites")
    assert flagged["Green Leaf Growers Council"].startswith("The caption cites")


def test_story_subject_and_headline_labels_are_not_borrowed(nlp):
    subject = analyse(nlp, SUBJECT)
    assert subject.flags("unused_source") == []
    assert not any(s.name == "Fact Check" for s in subject.report.sources)


# --- one-sided and balanced sourcing ------------------------------------------------------


@pytest.fixture(scope="module")
def one_sided(nlp) -> Analysed:
    return analyse(nlp, ONE_SIDED)


@pytest.fixture(scope="module")
def balanced(nlp) -> Analysed:
    return analyse(nlp, BALANCED)


def test_conflict_invariants(one_sided, balanced):
    check_invariants(one_sided)
    check_invariants(balanced)


def test_one_sided_sourcing_is_flagged(one_sided):
    flags = one_sided.flags("one_sided_sourcing")
    assert len(flags) == 1
    message = flags[0].message
    assert "Russia" in message and "Ukraine" in message
    for name in ("Defence Ministry", "Dmitry Peskov", "Vyacheslav Gladkov"):
        assert name in message


def test_balanced_sourcing_is_not_flagged(balanced):
    assert balanced.flags("one_sided_sourcing") == []
    ihnat = balanced.source("Yuriy Ihnat")
    assert ihnat.claims == [balanced.number("ammunition depot")]


def test_headline_source_speaking_through_its_ministry_is_used(one_sided):
    russia = one_sided.source("Russia")
    assert russia.where == ["title", "body"]
    assert one_sided.flags("unused_source") == []


def test_anonymous_officials_are_flagged_but_not_sided(one_sided):
    flags = one_sided.flags_in_claim("anonymous_claim", "Ukrainian officials")
    assert [f.text for f in flags] == ["Ukrainian officials"]


# --- the lexicons ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["The Washington Post", "Reuters", "AP", "Associated Press",
                                  "BBC", "Fox News", "TASS", "RIA Novosti", "City Herald",
                                  "The New York Times", "Chicago Tribune"])
def test_outlets(name):
    assert is_outlet(name)
    assert kind_of_name(name) == "outlet"


@pytest.mark.parametrize("name", ["Harbour Business Alliance", "Dmitry Peskov", "Pentagon",
                                  "Post", "Kremlin"])
def test_not_outlets(name):
    assert not is_outlet(name)


@pytest.mark.parametrize(("name", "party"), [
    ("Kremlin", "Russia"), ("Russian", "Russia"), ("Russian Defence Ministry", "Russia"),
    ("Kyiv", "Ukraine"), ("Ukrainian", "Ukraine"), ("U.S.", "United States"),
    ("the Pentagon", "United States"), ("Bulgaria", None), ("Harbour Business Alliance", None),
])
def test_party_of_name(name, party):
    assert party_of_name(name) == party


def test_names_and_kinds():
    assert normalise_name("The Washington Post") == "washington post"
    assert normalise_name("U.S.") == "us"
    assert kind_of_name("intelligence memo") == "document"
    assert kind_of_name("union's negotiator") == "person"
    assert kind_of_name("Ukrainian military") == "organisation"
    assert kind_of_name("Dmitry Peskov", "PERSON") == "person"
    assert kind_of_name("Bulgaria", "GPE") == "organisation"


@pytest.mark.parametrize(("name", "bare"), [
    ("Councilmember David Chen", "David Chen"), ("Council President Maria Alvarez",
                                                 "Maria Alvarez"),
    ("Kremlin spokesperson Dmitry Peskov", "Dmitry Peskov"), ("Mayor Ellen Brooks",
                                                              "Ellen Brooks"),
    ("Russian President Vladimir Putin", "Vladimir Putin"), ("Dr. Jane Roe", "Jane Roe"),
    ("Finance director Carla Mendes", "Carla Mendes"), ("Dmitry Peskov", "Dmitry Peskov"),
    ("Putin", "Putin"), ("Mayor", "Mayor"), ("Secretary of State Antony Blinken",
                                             "Secretary of State Antony Blinken"),
])
def test_person_name_drops_titles(name, bare):
    assert person_name(name) == bare


def test_empty_report_has_no_sources_or_flags(nlp):
    report = Report(text="Nothing to see.", title=None)
    assert find_sources(report, [], nlp("Nothing to see.")) == ([], [])


# --- claim numbers: one scheme in JSON and every view ------------------------------------------


def test_claims_are_numbered_as_the_views_number_them(example):
    report = example.report
    assert [c.id for c in report.claims] == [f"C{k + 1}" for k in range(len(report.claims))]
    peskov = example.source("Dmitry Peskov")
    assert peskov.claims and all(report.claims[claim_index(c)].id == c for c in peskov.claims)
    dumped = report.model_dump(mode="json")
    assert dumped["sources"][0]["claims"] == list(report.sources[0].claims)


def test_schema_1_claim_indices_read_as_ids():
    source = Source(name="Kremlin", kind="organisation", mentions=[], where=[], claims=[0, 2])
    assert source.claims == ["C1", "C3"]


# --- disputes: who acts against whom --------------------------------------------------------------

STRIKE = """Dockers Walk Out as Port Talks Collapse

The Transit Workers Union sued the Harbour Port Authority on Monday over unpaid overtime.

“We have been patient for two years,” said Maria Lopez, president of the Transit Workers \\
Union.

Union treasurer Tom Brandt said the strike fund would last eight weeks.

Talks between the union and the Harbour Port Authority broke down on Friday.
"""

LAUNCH = """Toyota Shows a New Electric SUV in Los Angeles

Toyota unveiled the bZ4X at the Los Angeles Auto Show on Wednesday.

“This is our most important launch in a decade,” said Toyota executive Jack Hollis.

The SUV goes on sale in the United States next spring, Hollis said.
"""


def test_dispute_between_parties_with_one_side_quoted_is_one_sided(nlp):
    strike = analyse(nlp, STRIKE)
    [flag] = strike.flags("one_sided_sourcing")
    assert "Transit Workers Union" in flag.message and "Harbour Port Authority" in flag.message
    assert "Maria Lopez" in flag.message


def test_parties_merely_named_together_are_no_dispute(nlp):
    launch = analyse(nlp, LAUNCH)
    assert launch.flags("one_sided_sourcing") == []


def test_find_disputes_reads_actor_and_target(example):
    from unspin.sourcing.disputes import find_disputes

    disputes = find_disputes(example.doc, example.report.entities)
    pairs = {frozenset((d.actor, d.target)) for d in disputes}
    assert frozenset(("Russia", "Ukraine")) in pairs
    assert all(example.report.text[d.cue.start:d.cue.end] == d.cue.text for d in disputes)
