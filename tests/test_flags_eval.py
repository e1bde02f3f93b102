"""Tests for ``unspin eval flags`` (unspin.evaluate.flags): the matching against gold
attributions, the figures, and both kinds of split end to end with the shipped pipeline."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from unspin.cli import main
from unspin.evaluate.flags import (
    ArticleTally,
    GoldIndex,
    evaluate_flags,
    gold_source_is_named,
    lockbox_part,
    polnear_figures,
)
from unspin.evaluate.polnear import BratRelation
from unspin.models import has_model

TEXT = "Port Talks\n\nThe mayor said the port lost $3 million. Officials say it will close.\n"


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _relation(text: str, source: str | None, cue: str, content: str) -> BratRelation:
    return BratRelation("E1", (_span(text, source),) if source else (), (_span(text, cue),),
                        (_span(text, content),))


def test_gold_sources_named_or_not() -> None:
    text = ("Mr. Trump said, officials said, he said, Critics said, Senator Warren said, "
            "the mayor said, two people familiar with the talks said")
    assert gold_source_is_named(text, [_span(text, "Mr. Trump")])
    assert gold_source_is_named(text, [_span(text, "the mayor")])
    assert not gold_source_is_named(text, [_span(text, "two people familiar with the talks")])
    assert gold_source_is_named(text, [_span(text, "he")])
    assert gold_source_is_named(text, [_span(text, "Senator Warren")])
    assert not gold_source_is_named(text, [_span(text, "officials")])
    assert not gold_source_is_named(text, [_span(text, "Critics")])


def test_claim_inside_a_gold_content_by_half_its_words() -> None:
    gold = [_relation(TEXT, "The mayor", "said", "the port lost $3 million"),
            _relation(TEXT, "Officials", "say", "it will close")]
    index = GoldIndex.build(TEXT, gold)
    assert index.status(*_span(TEXT, "The mayor said the port lost $3 million.")) == "named"
    assert index.status(*_span(TEXT, "Officials say it will close.")) == "anonymous"
    assert index.status(*_span(TEXT, "Port Talks")) == "none"
    sourceless = GoldIndex.build(TEXT, [_relation(TEXT, None, "say", "it will close")])
    assert sourceless.status(*_span(TEXT, "Officials say it will close.")) == "sourceless"


def test_figures_count_false_no_source_verdicts() -> None:
    good, bad = ArticleTally(), ArticleTally()
    good.by_kind["unattributed"] += 3
    good.flagged["unattributed_claim"] += 2
    good.flag_status[("unattributed_claim", "none")] += 2
    good.eligible_free, good.eligible_free_flagged = 2, 2
    bad.by_kind["unattributed"] += 1
    bad.by_kind_attributed["unattributed"] += 1
    bad.flagged["unattributed_claim"] += 1
    bad.flag_status[("unattributed_claim", "named")] += 1
    figures = polnear_figures([good, bad])
    assert figures["by_kind"]["unattributed"]["claims"] == 4
    assert figures["by_kind"]["unattributed"]["annotators_attribute"]["value"] == 0.25
    precision = figures["flags"]["unattributed_claim"]["precision"]
    assert precision["value"] == round(2 / 3, 4)
    low, high = precision["ci95"]
    assert 0.0 <= low <= precision["value"] <= high <= 1.0
    assert figures["flags"]["unattributed_claim"]["recall"]["value"] == 1.0


def test_second_annotator_taken_as_the_system() -> None:
    from types import SimpleNamespace

    from unspin.evaluate.flags import _tally_second_annotators

    mayor = _span(TEXT, "The mayor said the port lost $3 million.")
    officials = _span(TEXT, "Officials say it will close.")
    gold = GoldIndex.build(TEXT, [_relation(TEXT, "The mayor", "said", "the port lost $3 million"),
                                  _relation(TEXT, "Officials", "say", "it will close")])
    second = GoldIndex.build(TEXT, [_relation(TEXT, "The mayor", "said",
                                              "the port lost $3 million")])
    claims = [SimpleNamespace(start=mayor[0], end=mayor[1],
                              attribution=SimpleNamespace(kind="attributed")),
              SimpleNamespace(start=officials[0], end=officials[1],
                              attribution=SimpleNamespace(kind="unattributed"))]
    tally = ArticleTally()
    _tally_second_annotators(tally, SimpleNamespace(claims=claims), gold, [second, gold])
    # the second annotator leaves "Officials say ..." free, which gold attributes; the gold
    # annotator taken as its own second annotator leaves nothing free
    assert (tally.second_free, tally.second_free_attributed) == (1, 1)
    assert (tally.double_unattributed, tally.double_unattributed_attributed) == (2, 2)
    figures = polnear_figures([tally, ArticleTally()])["second_annotator"]
    assert figures["articles"] == 1
    assert figures["no_source_inside_gold"]["value"] == 1.0
    assert figures["unspin_no_source_inside_gold"]["value"] == 1.0


def test_lockbox_is_a_fixed_fifth() -> None:
    names = [f"article-{k}" for k in range(2000)]
    share = sum(map(lockbox_part, names)) / len(names)
    assert 0.17 < share < 0.23
    assert [lockbox_part(n) for n in names[:50]] == [lockbox_part(n) for n in names[:50]]


def test_neither_kind_of_split_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["eval", "flags", str(tmp_path)]) == 2
    assert "neither a PolNeAR split" in capsys.readouterr().err


needs_models = pytest.mark.skipif(not has_model("techniques"),
                                  reason="the shipped models are not installed")


@needs_models
def test_polnear_split_end_to_end(tmp_path) -> None:
    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "port.txt").write_text(TEXT, encoding="utf-8")
    mayor = _relation(TEXT, "The mayor", "said", "the port lost $3 million")
    s, c, t = mayor.source[0], mayor.cue[0], mayor.content[0]
    ann = (f"T1\tSource {s[0]} {s[1]}\tThe mayor\nT2\tCue {c[0]} {c[1]}\tsaid\n"
           f"T3\tContent {t[0]} {t[1]}\tthe port lost $3 million\n"
           "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n")
    (split / "attributions" / "port_a1.ann").write_text(ann, encoding="utf-8")
    (split / "attributions" / "port_a2.ann").write_text(ann, encoding="utf-8")
    scores = evaluate_flags(split, tmp_path / "pred")
    assert scores["articles"] == 1 and scores["skipped"] == 0
    # the same marks from a second annotator: it agrees with the gold one on every claim
    assert scores["second_annotator"]["articles"] == 1
    assert scores["second_annotator"]["no_source_inside_gold"]["value"] in (0.0, None)
    kinds = scores["by_kind"]
    assert sum(k["claims"] for k in kinds.values()) >= 1
    rows = json.loads((tmp_path / "pred" / "port.json").read_text(encoding="utf-8"))
    for row in rows["claims"]:
        assert TEXT[row["start"]:row["end"]]
        assert row["claim"] >= 1 and row["gold"] in ("named", "anonymous", "sourceless", "none")


@needs_models
def test_page_split_end_to_end(tmp_path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "html"
    page = next(p for p in sorted(fixtures.glob("*.html")))
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "one.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    (tmp_path / "html" / "notes.txt").write_text("not a page", encoding="utf-8")
    scores = evaluate_flags(tmp_path)
    assert scores["pages"] + sum(scores["refused"].values()) == 1
    for code in ("unused_source", "one_sided_sourcing"):
        assert code in scores["pages_with_flag"]
    for firing in scores["firings"]:
        assert firing["code"] in ("unused_source", "one_sided_sourcing")
