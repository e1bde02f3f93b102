"""unspin compare: stories, aligned figures, claims told only here, sources, language, output.

Most tests build Reports by hand (no models, fast); one runs the whole pipeline on three
tellings of one event and an unrelated article (skips without the shipped models); the BASIL
test skips when ../shared/data is not beside the checkout.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from unspin.compare import compare_reports, comparison_schema, render_comparison
from unspin.compare.alignment import names_match, unit_key
from unspin.compare.analysis import parts_of
from unspin.compare.api import read_inputs, unique_names
from unspin.compare.grouping import (
    NEIGHBOURS,
    candidate_pairs,
    features_from_parts,
    group_stories,
    links,
    story_features,
    word_cosines,
)
from unspin.compare.lexical import cosine, idf_table, words
from unspin.compare.model import Comparison
from unspin.evaluate.compare_eval import (
    adjusted_rand,
    bcubed,
    grouping_scores,
    labels_of,
    lockbox_events,
    pairwise_prf,
)
from unspin.report import (
    Attribution,
    Claim,
    Entity,
    Mention,
    Meta,
    Paragraph,
    Quantity,
    Report,
    Sentence,
    Source,
    Span,
    Technique,
)

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil" / "train"


# --- building Reports by hand --------------------------------------------------------------------


def _find(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    i = text.index(piece, after)
    return i, i + len(piece)


def make_report(title: str, paragraphs: list[str], *, date: str | None = None,
                outlet: str | None = None, quantities=(), claims=(), sources=(),
                entities=(), techniques=()) -> Report:
    """A Report over ``title`` and ``paragraphs`` (sentences split at ". "), with:
    quantities (piece, value, unit, kind), claims (sentence piece, kind, source piece or
    None), sources (name, kind, piece), entities (name, label, [pieces]) and techniques
    (piece, technique), each piece found in the text."""
    text = "\n\n".join([title, *paragraphs])
    sentences = [Sentence(start=0, end=len(title), text=title, index=0, paragraph=-1,
                          part="title")]
    paras = []
    pos = len(title) + 2
    for p, para in enumerate(paragraphs):
        paras.append(Paragraph(start=pos, end=pos + len(para), text=para, index=p))
        for m in re.finditer(r"[^.]+(?:\.|$)", para):
            piece = m.group().strip()
            if not piece:
                continue
            s = pos + m.start() + (len(m.group()) - len(m.group().lstrip()))
            sentences.append(Sentence(start=s, end=s + len(piece), text=piece,
                                      index=len(sentences), paragraph=p, part="body"))
        pos += len(para) + 2

    def sentence_of(offset: int) -> int:
        return max(s.index for s in sentences if s.start <= offset)

    qs = []
    for piece, value, unit, kind in quantities:
        a, b = _find(text, piece)
        qs.append(Quantity(start=a, end=b, text=piece, value=value, number=piece.split()[0],
                           unit=unit, kind=kind, sentence=sentence_of(a)))
    ents = []
    for e, (name, label, pieces) in enumerate(entities):
        mentions = []
        after = 0
        for piece in pieces:
            a, b = _find(text, piece, after)
            after = b
            mentions.append(Mention(start=a, end=b, text=piece, sentence=sentence_of(a)))
        ents.append(Entity(id=e, name=name, label=label, mentions=mentions))
    cl = []
    for piece, kind, source in claims:
        a, _ = _find(text, piece)
        s = sentences[sentence_of(a)]
        src = None
        if source:
            sa, sb = _find(text, source, s.start)
            src = Span(start=sa, end=sb, text=source)
        cl.append(Claim(start=s.start, end=s.end, text=s.text, sentence=s.index,
                        checkworthiness=0.9,
                        quantities=[k for k, q in enumerate(qs) if q.sentence == s.index],
                        attribution=Attribution(kind=kind, source=src)))
    srcs = []
    for name, kind, piece in sources:
        a, b = _find(text, piece)
        srcs.append(Source(name=name, kind=kind, mentions=[Span(start=a, end=b, text=piece)],
                           where=["body"],
                           claims=[k for k, c in enumerate(cl) if c.start <= a < c.end]))
    techs = []
    for piece, technique in techniques:
        a, b = _find(text, piece)
        techs.append(Technique(start=a, end=b, text=piece, technique=technique, score=0.8))
    n_words = len(re.findall(r"[A-Za-z]+", text))
    return Report(text=text, title=Span(start=0, end=len(title), text=title),
                  meta=Meta(date=date, outlet=outlet), paragraphs=paras, sentences=sentences,
                  entities=ents, quantities=qs, claims=cl, sources=srcs, techniques=techs,
                  metrics={"words": float(n_words)})


def drone_story() -> list[Report]:
    a = make_report(
        "Russia says it shot down 92 Ukrainian drones",
        ["Russian air defences intercepted 92 Ukrainian drones over the Black Sea overnight, "
         "the Russian Defence Ministry said. Kremlin spokesman Dmitry Peskov said Putin invited "
         "Zelenskiy to Moscow for talks."],
        date="2025-09-05", outlet="Agency One",
        quantities=[("92 Ukrainian drones", 92.0, "drones", "count"),
                    ("92 Ukrainian drones over", 92.0, "drones", "count")],
        claims=[("Russian air defences intercepted", "attributed", "Russian Defence Ministry"),
                ("Kremlin spokesman", "attributed", "Dmitry Peskov")],
        sources=[("Russian Defence Ministry", "organisation", "Russian Defence Ministry"),
                 ("Dmitry Peskov", "person", "Dmitry Peskov")],
        entities=[("Russia", "GPE", ["Russia"]), ("Black Sea", "LOC", ["Black Sea"]),
                  ("Dmitry Peskov", "PERSON", ["Dmitry Peskov"]),
                  ("Zelenskiy", "PERSON", ["Zelenskiy"])])
    b = make_report(
        "Putin's defences crush Kyiv's reckless drone raid",
        ["Russia's formidable air defences intercepted 87 Ukrainian drones over the Black Sea "
         "overnight, officials in Moscow said. The reckless regime of Zelenskiy keeps sending "
         "drones to die. Peskov said Putin invited Zelenskiy to Moscow for talks."],
        date="2025-09-06", outlet="Outlet Two",
        quantities=[("87 Ukrainian drones", 87.0, "drones", "count")],
        claims=[("Russia's formidable", "anonymous", "officials in Moscow"),
                ("Peskov said", "attributed", "Peskov")],
        sources=[("officials in Moscow", "anonymous", "officials in Moscow"),
                 ("Peskov", "person", "Peskov said")],
        entities=[("Russia", "GPE", ["Russia"]), ("Black Sea", "LOC", ["Black Sea"]),
                  ("Zelenskiy", "PERSON", ["Zelenskiy", "Zelenskiy"]),
                  ("Dmitry Peskov", "PERSON", ["Peskov"])],
        techniques=[("formidable", "Loaded_Language"), ("reckless regime", "Loaded_Language"),
                    ("keeps sending drones to die", "Appeal_to_Fear-Prejudice")])
    c = make_report(
        "Ukraine launches drone attack on Russia",
        ["Russia's Defence Ministry claimed that 92 drones were intercepted over the Black Sea "
         "overnight. Bulgaria said it would help clear sea mines but would send no troops."],
        date="2025-09-05", outlet="Paper Three",
        quantities=[("92 drones", 92.0, "drones", "count")],
        claims=[("Russia's Defence Ministry claimed", "attributed", "Russia's Defence Ministry"),
                ("Bulgaria said", "attributed", "Bulgaria")],
        sources=[("Defence Ministry", "organisation", "Defence Ministry"),
                 ("Bulgaria", "organisation", "Bulgaria")],
        entities=[("Russia", "GPE", ["Russia"]), ("Black Sea", "LOC", ["Black Sea"]),
                  ("Bulgaria", "GPE", ["Bulgaria"])])
    return [a, b, c]


def parks_report() -> Report:
    return make_report(
        "City council approves budget for parks",
        ["The city council approved a budget of $4.2 million for public parks, the mayor said. "
         "The plan adds 12 new playgrounds."],
        date="2025-09-05", outlet="Town Crier",
        quantities=[("$4.2 million", 4.2e6, "USD", "money"),
                    ("12 new playgrounds", 12.0, "playgrounds", "count")],
        claims=[("The city council approved", "attributed", "the mayor")])


def one_hot(k: int, dim: int = 8, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = np.full(dim, 1.0) + noise * rng.normal(size=dim)
    v[k] += 3.0
    return np.concatenate([v, np.abs(v)]).astype(np.float32)


# --- grouping ------------------------------------------------------------------------------------


def test_two_events_three_outlets_and_an_unrelated_article():
    counts = [Counter(t.split()) for t in [
        "senate votes override veto saudi lawsuit families september attacks",
        "senate override veto saudi arabia lawsuit families attacks",
        "override veto senate saudi families lawsuit vote",
        "hurricane florida landfall evacuation storm surge coast",
        "hurricane storm florida coast evacuation winds landfall",
        "florida hurricane landfall storm evacuation orders coast",
        "chess tournament grandmaster opening endgame rating",
    ]]
    names = [{"senate", "saudi"}] * 3 + [{"florida"}] * 3 + [{"magnus"}]
    dates = ["2016-09-28", "2016-09-28", "2016-09-29", "2016-09-28", "2016-09-27",
             "2016-09-28", "2016-09-28"]
    emb = [one_hot(0, seed=i) for i in range(3)] + [one_hot(1, seed=i) for i in range(3)] \
        + [one_hot(2)]
    f = features_from_parts(counts, names, dates, emb)
    stories = group_stories(f)
    assert stories == [[0, 1, 2], [3, 4, 5], [6]]


def test_embeddings_alone_group_when_words_say_nothing():
    counts = [Counter({f"w{i}": 1}) for i in range(7)]   # no shared words at all
    f = features_from_parts(counts, [set()] * 7, ["2020-01-01"] * 7,
                            [one_hot(0)] * 3 + [one_hot(1)] * 3 + [one_hot(2)],
                            w_embedding=1.0, w_names=0.0)
    assert group_stories(f, threshold=0.9) == [[0, 1, 2], [3, 4, 5], [6]]


def test_date_window_and_undated_threshold():
    same = Counter(["shutdown", "government", "congress", "budget", "deadline", "spending", "bill"])
    f = features_from_parts([same, same, same], [set()] * 3,
                            ["2013-10-01", "2013-10-02", "2018-12-22"], None,
                            w_embedding=0.0, w_names=0.0)
    assert group_stories(f) == [[0, 1], [2]]       # five years apart: never linked
    g = features_from_parts([same, Counter(same) + Counter(["extra"])], [set()] * 2,
                            [None, "2013-10-01"], None, w_embedding=0.0, w_names=0.0)
    (link,) = links(g)                              # undated: needs the higher threshold
    assert link.score >= 0.26
    assert not links(g, undated_threshold=1.01)


def test_candidate_search_matches_all_pairs():
    """The blocked nearest-neighbour search finds every link that scoring all pairs finds."""
    rng = np.random.default_rng(1)
    counts, names, dates, events = [], [], [], []
    for e in range(60):
        day = 18000 + int(rng.integers(0, 30))
        for _ in range(int(rng.integers(1, 5))):
            c = Counter(rng.choice([f"common{i}" for i in range(200)], 40).tolist())
            c.update(rng.choice([f"e{e}w{i}" for i in range(15)], 10).tolist())
            counts.append(c)
            names.append({f"e{e}n"})
            dates.append(None if rng.random() < 0.1 else float(day + int(rng.integers(0, 3))))
            events.append(e)
    f = features_from_parts(counts, names, dates, None)
    assert len(f) > NEIGHBOURS + 1
    exact = group_stories(f, neighbours=len(f))
    approx = group_stories(f, neighbours=10)
    assert approx == exact
    assert grouping_scores(labels_of(approx, len(events)), events)["pairwise_f1"] > 0.95
    i, j, _ = candidate_pairs(f, neighbours=10)
    assert (i < j).all() and len(set(zip(i.tolist(), j.tolist(), strict=True))) == len(i)


def test_word_cosines_match_the_sparse_dot_product():
    counts = [words(t) for t in ["alpha beta gamma delta", "beta gamma epsilon",
                                 "zeta eta theta", "alpha alpha beta"]]
    f = features_from_parts(counts, [set()] * 4, [None] * 4)
    i, j = np.array([0, 0, 1, 2, 3]), np.array([1, 3, 3, 0, 3])
    want = [cosine(f.tfidf[a], f.tfidf[b]) for a, b in zip(i, j, strict=True)]
    assert np.allclose(word_cosines(f, i, j), want)


def test_idf_barely_depends_on_how_many_articles_are_compared():
    few = idf_table([words("drones intercepted over the black sea")] * 3)
    many = idf_table([words("drones intercepted over the black sea")] * 3
                     + [words(f"unrelated text number{i}") for i in range(200)])
    assert abs(few["drones"] - many["drones"]) < 0.2 * many["drones"]


# --- alignment -----------------------------------------------------------------------------------


def test_aligned_figures_disagree_and_are_attributed():
    reports = drone_story()
    names = ["a.txt", "b.txt", "c.txt"]
    story = compare_reports(reports, names, embeddings=False).stories[0]
    (drones,) = [c for c in story.claims if c.about == "drones"]
    assert not drones.agree
    assert {f.input: f.value for f in drones.figures} == {"a.txt": 92.0, "b.txt": 87.0,
                                                          "c.txt": 92.0}
    assert "92 (Agency One)" in drones.disagreement and "87 (Outlet Two)" in drones.disagreement
    by = {f.input: f for f in drones.figures}
    assert by["a.txt"].attribution.kind == "attributed"
    assert by["a.txt"].attribution.source.text == "Russian Defence Ministry"
    assert by["b.txt"].attribution.kind == "anonymous"
    assert not drones.attributions_agree
    # a.txt gives 92 in its headline and its body: one figure, the body's, with a repeat
    assert by["a.txt"].sentence.text.startswith("Russian air defences")
    assert [s.text for s in by["a.txt"].also] == ["92 Ukrainian drones"]


def test_figure_given_by_one_article_is_not_aligned_and_missing_is_named():
    a, b, c = drone_story()
    story = compare_reports([a, b], ["a", "b"], embeddings=False).stories[0]
    assert [cl.about for cl in story.claims] == ["drones"]
    assert story.claims[0].missing == []


def test_told_only_here():
    story = compare_reports(drone_story(), ["a", "b", "c"], embeddings=False).stories[0]
    only = {(o.input, o.sentence.text) for o in story.only_here}
    assert ("c", "Bulgaria said it would help clear sea mines but would send no troops.") in only
    # Peskov's invitation is told by a and b: not only here
    assert not any("invited" in text for _, text in only)
    # the drone figures are aligned, so their claims are not "only here"
    assert not any("intercepted" in text for _, text in only)
    counts = {a.input: a.only_here for a in story.articles}
    assert counts["c"] >= 1


def test_sources_merge_across_outlets():
    story = compare_reports(drone_story(), ["a", "b", "c"], embeddings=False).stories[0]
    by_name = {s.name: s for s in story.sources}
    peskov = by_name["Dmitry Peskov"]
    assert {c.input for c in peskov.cited_by} == {"a", "b"} and not peskov.only_here
    ministry = by_name["Russian Defence Ministry"]
    assert {c.input for c in ministry.cited_by} == {"a", "c"}
    assert by_name["officials in Moscow"].only_here
    assert by_name["officials in Moscow"].kind == "anonymous"
    assert names_match("Mr. Peskov", "Dmitry Peskov", person=True)
    assert not names_match("Defence Ministry", "Health Ministry", person=False)


def test_language_per_outlet_and_targets():
    story = compare_reports(drone_story(), ["a", "b", "c"], embeddings=False).stories[0]
    lang = {x.input: x for x in story.language}
    assert lang["a"].loaded == 0 and lang["a"].targets == []
    b = lang["b"]
    assert b.loaded == 2 and b.techniques == 3
    assert b.loaded_per_100_words == round(2 * 100 / b.words, 2)
    assert b.top_techniques[0].technique == "Loaded_Language"
    targets = {t.name: t for t in b.targets}
    assert "Zelenskiy" in targets
    assert [w.text for w in targets["Zelenskiy"].wording] == ["reckless regime"]
    assert "Russia" in targets       # "Russia's formidable air defences"


def _q(number: str, value: float, unit: str = "percent", kind: str = "percent") -> Quantity:
    return Quantity(start=0, end=0, text="", value=value, number=number, unit=unit, kind=kind,
                    sentence=0)


def test_same_value_up_to_rounding():
    from unspin.compare.alignment import same_value, significant_digits

    assert significant_digits(_q("13.6 million", 13.6e6)) == 3
    assert significant_digits(_q("500,000", 5e5)) == 1
    assert significant_digits(_q("10", 10.0)) == 2
    assert significant_digits(_q("1 million", 1e6)) == 1
    assert same_value(_q("13.6 million", 13.6e6), _q("13,625,777", 13625777.0))
    assert same_value(_q("36", 36.0), _q("35.7", 35.7))
    assert same_value(_q("1 million", 1e6), _q("1.1 million", 1.1e6))
    assert not same_value(_q("10 million", 1e7), _q("13.6 million", 13.6e6))
    assert not same_value(_q("10", 10.0), _q("14", 14.0))
    assert not same_value(_q("92", 92.0), _q("87", 87.0))


def test_figures_in_a_list_align_by_their_own_words():
    """A sentence listing several figures with one unit: each figure goes by the words next
    to it, and figures far apart in value are never aligned from such a sentence."""
    a = make_report("Poll of the primary field",
                    ["Romney leads the field with 21 percent, while Huckabee has 17 percent."],
                    date="2011-01-01",
                    quantities=[("21 percent", 21.0, "percent", "percent"),
                                ("17 percent", 17.0, "percent", "percent")])
    b = make_report("Tea Party voters split in poll",
                    ["Among Tea Party voters, Huckabee has 17 percent and Romney 4 percent."],
                    date="2011-01-01",
                    quantities=[("17 percent", 17.0, "percent", "percent"),
                                ("4 percent", 4.0, "percent", "percent")])
    story = compare_reports([a, b], ["a", "b"], embeddings=False, threshold=0.0,
                            undated_threshold=0.0).stories[0]
    pairs = {tuple(f.number for f in c.figures) for c in story.claims}
    assert ("17", "17") in pairs
    assert ("21", "4") not in pairs


def test_unit_keys():
    assert unit_key("count", "drones") == unit_key("count", "drone") == "count:drone"
    assert unit_key("count", "casualties") == "count:casualty"
    assert unit_key("money", "usd") == "money:USD"
    assert unit_key("percent", "percent") == "percent:percent"


# --- the whole comparison ------------------------------------------------------------------------


def check_spans_exact(comparison: Comparison, texts: dict[str, str]) -> int:
    """Every span in the output is exact in the text of the article it belongs to."""
    data = json.loads(comparison.to_json())
    checked = 0

    def walk(node, current):
        nonlocal checked
        if isinstance(node, dict):
            current = node.get("input", current)
            if {"start", "end", "text"} <= node.keys() and current in texts:
                assert texts[current][node["start"]:node["end"]] == node["text"], node
                checked += 1
            for v in node.values():
                walk(v, current)
        elif isinstance(node, list):
            for v in node:
                walk(v, current)

    walk(data, None)
    return checked


def test_comparison_groups_and_sets_the_unrelated_apart():
    reports = [*drone_story(), parks_report()]
    names = ["a.txt", "b.txt", "c.txt", "d.txt"]
    comparison = compare_reports(reports, names, embeddings=False)
    assert [[a.input for a in s.articles] for s in comparison.stories] == [
        ["a.txt", "c.txt", "b.txt"]]          # date order, then by name
    assert [u.input for u in comparison.unrelated] == ["d.txt"]
    assert comparison.stories[0].links
    assert check_spans_exact(comparison, dict(zip(names, [r.text for r in reports],
                                                  strict=True))) > 10


def test_json_output_follows_the_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    comparison = compare_reports([*drone_story(), parks_report()], list("abcd"),
                                 embeddings=False)
    data = json.loads(render_comparison(comparison, "json"))
    jsonschema.validate(data, comparison_schema())
    assert set(data) >= {"stories", "unrelated"}
    assert set(data["stories"][0]) >= {"articles", "claims", "sources", "language"}
    assert Comparison.model_validate(data) == comparison


def test_html_escapes_article_text_and_is_self_contained():
    evil = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
    a, b, c = drone_story()
    a = make_report(
        f"Russia says it shot down 92 Ukrainian drones {evil}",
        [a.paragraphs[0].text + f" Quote: {evil}."], date="2025-09-05",
        outlet="<b>Agency</b>",
        quantities=[("92 Ukrainian drones", 92.0, "drones", "count")],
        claims=[("Russian air defences intercepted", "attributed", "Russian Defence Ministry"),
                ("Quote:", "unattributed", None)],
        entities=[("Russia", "GPE", ["Russia"])])
    page = render_comparison(compare_reports([a, b, c], ["<x>.txt", "b", "c"],
                                             embeddings=False), "html")
    assert "<script>" not in page and "<img" not in page and "<b>Agency" not in page
    assert "&lt;script&gt;" in page and "&lt;x&gt;.txt" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert page.startswith("<!DOCTYPE html>")


def test_text_view_marks_disagreement():
    out = render_comparison(compare_reports([*drone_story(), parks_report()], list("abcd"),
                                            embeddings=False), "text")
    assert "DIFFER" in out and "87" in out and "Unrelated" in out
    with pytest.raises(ValueError):
        render_comparison(compare_reports(drone_story(), embeddings=False), "pdf")


def test_names_and_inputs(tmp_path):
    assert unique_names(["a", "b", "a"]) == ["a", "b", "a#2"]
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "one.txt").write_text("Title one\n\nBody of the first article.\n")
    (tmp_path / "dir" / "two.txt").write_text("Title two\n\nBody of the second article.\n")
    lines = [{"id": "rec-1", "title": "T", "text": "A body."}, {"title": "U", "text": "B."}]
    jl = tmp_path / "set.jsonl"
    jl.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    single = tmp_path / "single.txt"
    single.write_text("Title\n\nJust one article here.\n")
    got = read_inputs([str(tmp_path / "dir"), str(jl), str(single),
                       str(tmp_path / "missing.txt")])
    assert [g.input for g in got] == [str(tmp_path / "dir" / "one.txt"),
                                      str(tmp_path / "dir" / "two.txt"),
                                      "rec-1", f"{jl}:line 2", str(single),
                                      str(tmp_path / "missing.txt")]
    assert got[-1].article is None and "no such file" in got[-1].error


def test_grouping_metrics():
    gold = ["a", "a", "a", "b", "b", "c"]
    assert pairwise_prf(gold, gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert adjusted_rand([1, 1, 1, 2, 2, 3], gold) == pytest.approx(1.0)
    split = [1, 1, 2, 3, 3, 4]      # a split in two
    p = pairwise_prf(split, gold)
    assert p["precision"] == 1.0 and p["recall"] == pytest.approx(2 / 4)
    assert bcubed(split, gold)["precision"] == 1.0
    assert adjusted_rand(list(range(6)), gold) == pytest.approx(0.0, abs=1e-9)
    assert labels_of([[0, 2]], 4) == [0, 1, 0, 2]
    box = lockbox_events([f"event-{i}" for i in range(100)])
    assert box == lockbox_events([f"event-{i}" for i in range(100)][::-1])
    assert 5 <= len(box) <= 40


# --- the pipeline, end to end --------------------------------------------------------------------

STORY_FILES = {
    "a.txt": [
        "Russia says it downed 92 Ukrainian drones overnight",
        ('Russian air defences intercepted 92 Ukrainian drones overnight over the Black Sea and '
         'several regions, the Russian Defence Ministry said on Friday.'),
        ('The ministry said 23 munitions were fired by Ukrainian forces toward Donetsk in a single'
         ' day. Kremlin spokesman Dmitry Peskov said President Vladimir Putin had invited '
         'Volodymyr Zelenskiy to Moscow for talks.'),
    ],
    "b.txt": [
        "Putin's air defences crush another drone attack from Kyiv",
        ("Russia's formidable air defences shot down 87 Ukrainian drones overnight, crushing yet "
         'another reckless assault ordered by the desperate regime in Kyiv, officials in Moscow '
         'said on Friday.'),
        ('According to separatist officials, Ukrainian forces fired 23 munitions at Donetsk in a '
         'single day. Kremlin spokesman Dmitry Peskov said that President Vladimir Putin has '
         'invited Zelenskiy to Moscow for talks.'),
    ],
    "c.txt": [
        "Ukraine launches large drone attack on Russia",
        ("Ukraine launched one of its largest drone attacks of the war overnight. Russia's Defence"
         ' Ministry claimed that 92 drones were intercepted, a figure that could not be '
         'independently verified.'),
        ('Ukrainian officials said the drones targeted oil refineries and military airfields. '
         'Bulgaria said it would not send troops to Ukraine but would help clear mines in the '
         'Black Sea.'),
    ],
    "d.txt": [
        "City council approves new budget for parks",
        ('The city council on Tuesday approved a budget of $4.2 million for public parks, Mayor '
         'Jane Alvarez said.'),
        ('The plan adds 12 new playgrounds and extends library hours across the city. Residents '
         'welcomed the decision at a packed meeting.'),
    ],
}


def test_pipeline_three_tellings_and_an_unrelated_article(tmp_path):
    from unspin.models import has_model

    if not has_model("techniques"):
        pytest.skip("the shipped encoder is not installed")
    from unspin.article import load_article
    from unspin.compare import compare_inputs
    from unspin.compare.analysis import analyze_with_embedding, embed_report

    paths = []
    for name, text in STORY_FILES.items():
        (tmp_path / name).write_text("\n\n".join(text) + "\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    comparison = compare_inputs(paths)
    assert len(comparison.stories) == 1
    assert sorted(a.input for a in comparison.stories[0].articles) == paths[:3]
    assert [u.input for u in comparison.unrelated] == [paths[3]]
    drones = [c for c in comparison.stories[0].claims if c.about == "drones"]
    assert drones and not drones[0].agree
    assert sorted(f.value for f in drones[0].figures) == [87.0, 92.0, 92.0]
    assert comparison.grouping.embeddings
    # the embedding kept from the pipeline's pass is the one an extra pass gives
    report, vector = analyze_with_embedding(load_article(paths[0]))
    assert np.allclose(vector, embed_report(report))
    assert parts_of(report)[0] == (report.title.start, report.title.end)

    texts = {p: load_article(p).text for p in paths}
    assert check_spans_exact(comparison, texts) > 10


# --- BASIL ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basil_docs():
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL} (../shared/data is not beside the checkout)")
    from unspin.evaluate.compare_eval import read_basil_docs

    return read_basil_docs(BASIL)


def test_basil_reads_events_and_exact_gold_spans(basil_docs):
    assert len(basil_docs) == 240
    events = Counter(d.event for d in basil_docs)
    assert len(events) == 80 and set(events.values()) == {3}
    assert {d.source for d in basil_docs} == {"fox", "nyt", "hpo"}
    inf = [(d, s) for d in basil_docs for s in d.inf]
    assert len(inf) > 500
    for d, s in inf:
        assert d.article.text[s.start:s.end] == s.text


def test_basil_grouping_on_words_and_dates(basil_docs):
    """The words-and-dates part of the rule alone (no models) separates BASIL's events."""
    reports = [Report(text=d.article.text, title=d.article.title,
                      meta=Meta(date=d.article.date)) for d in basil_docs]
    f = story_features(reports, None, w_embedding=0.0, w_names=0.0)
    stories = group_stories(f, threshold=0.2)
    scores = grouping_scores(labels_of(stories, len(basil_docs)),
                             [d.event for d in basil_docs])
    assert scores["pairwise_f1"] >= 0.9, scores
