"""``unspin eval flags SPLIT_DIR``: how far the sourcing flags can be trusted.

Two kinds of split are scored, told apart by their layout:

**A PolNeAR split** (``text/`` and ``attributions/``, see :mod:`unspin.evaluate.polnear`).
Every article is analysed by the full pipeline (title on the first line, as the text files
have it); its claims and flags are compared with the gold attribution relations:

- A claim *lies inside* a gold relation when at least half of the claim's word tokens
  (``\\w+``) lie in the relation's content spans. A claim inside a relation that has a
  source span is **attributed by the annotators**; one inside only source-less relations
  ("it is believed") is counted apart.
- ``by_kind``: for each attribution kind unspin gives (``direct_quote``, ``attributed``,
  ``anonymous``, ``hedged``, ``unattributed``), the number of claims and the share the
  annotators attribute. High is right for the first two; for ``unattributed`` the share
  is the rate of false "no source" verdicts.
- ``unattributed_claim``: *precision* is the share of its flags whose claim the annotators do
  not attribute; *recall* is, among the claims that could carry the flag (body claims
  stating a figure or a contested event, whatever their attribution) and that the annotators
  do not attribute, the share that carries it.
- ``anonymous_claim``: the share of its flags whose claim lies inside a gold relation whose
  source names no one (:func:`gold_source_is_named` is false: nothing capitalised, no pronoun,
  and a vague head such as "officials" or "sources"), and the share inside one whose source
  is named.
- ``hedged_claim``: the share of its flags whose claim the annotators attribute (the flag
  says nobody vouches for it).
- Intervals are 95% percentile bootstraps over articles (1,000 resamples, seed 13).

**A page split** (``html/`` of ``.html`` or ``.html.gz`` pages, as
``../shared/data/extraction/dev``). Each page is read by unspin's own HTML reader (the
page alone: no ground truth is read) and analysed; the result is, for every flag code,
the share of analysed pages it fires on (with an interval), and every firing of
``unused_source`` and ``one_sided_sourcing`` with its page, message and span, for reading.

With ``--predictions DIR``, one ``<name>.json`` per article or page is written there: its
claims (offsets, attribution kind, source span) and its flags.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from unspin.errors import InputError, UnspinError
from unspin.evaluate.metrics import percentile_interval

ATTRIBUTION_KINDS = ("direct_quote", "attributed", "anonymous", "hedged", "unattributed")
INSIDE_SHARE = 0.5
"""The share of a claim's word tokens that must lie in a gold content for the claim to lie
inside that relation."""
N_BOOTSTRAP = 1000
SEED = 13
READ_FLAGS = ("unused_source", "one_sided_sourcing")
"""The flags whose every firing on real pages is listed for a person to read."""

_WORD = re.compile(r"\w+")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})


# --- gold attribution on a text ----------------------------------------------------------------


@dataclass
class GoldIndex:
    """The word tokens of an article and, per token, the gold relations whose content holds
    it (split into relations with a named source, an unnamed source, and none)."""

    starts: list[int]
    ends: list[int]
    named: list[bool] = field(default_factory=list)
    anonymous: list[bool] = field(default_factory=list)
    sourceless: list[bool] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, relations: Sequence) -> GoldIndex:
        """The index of ``text`` under ``relations`` (:class:`~unspin.evaluate.polnear.
        BratRelation`)."""
        bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        index = cls([s for s, _ in bounds], [e for _, e in bounds])
        n = len(bounds)
        index.named, index.anonymous, index.sourceless = [False] * n, [False] * n, [False] * n
        for rel in relations:
            if not rel.source:
                mark = index.sourceless
            elif gold_source_is_named(text, rel.source):
                mark = index.named
            else:
                mark = index.anonymous
            for k in index.tokens(rel.content):
                mark[k] = True
        return index

    def tokens(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        """Indices of the tokens the character spans overlap."""
        out: list[int] = []
        for start, end in spans:
            k = bisect.bisect_right(self.ends, start)
            while k < len(self.starts) and self.starts[k] < end:
                out.append(k)
                k += 1
        return out

    def status(self, start: int, end: int) -> str:
        """How the annotators attribute the claim ``[start, end)``: ``named``,
        ``anonymous`` (inside a relation with a source, but that source names no one),
        ``sourceless`` (only inside relations with no source) or ``none``."""
        tokens = self.tokens([(start, end)])
        if not tokens:
            return "none"
        need = INSIDE_SHARE * len(tokens)
        for kind, mark in (("named", self.named), ("anonymous", self.anonymous)):
            if sum(mark[k] for k in tokens) >= need:
                return kind
        if sum(self.named[k] or self.anonymous[k] for k in tokens) >= need:
            return "named"
        if sum(self.sourceless[k] for k in tokens) >= need:
            return "sourceless"
        return "none"


def gold_source_is_named(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """True if a gold source names someone: a pronoun (it stands for someone named nearby),
    a capitalised word that is not the span's first word ("Mr. Trump", "the Times", "Sen.
    Warren"), a first word that is a proper name (capitalised and not a common word at a
    sentence start: "Officials", "Critics", "Sources" are not names), or a specific role or
    body ("the mayor", "the company"). It names no one when it is a vague plural or a
    nameless kind of source with nothing capitalised: its last word one of
    :data:`unspin.attribution.ANONYMOUS_HEADS` ("officials", "two people familiar with the
    talks": "people" is the head, so see :func:`_head_word`)."""
    from unspin.attribution import ANONYMOUS_HEADS

    words = [m.group() for s, e in spans for m in _WORD.finditer(text[s:e])]
    if not words:
        return False
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return True
    if any(w[:1].isupper() for w in words[1:]):
        return True
    if words[0][:1].isupper() and not _is_common_word(words[0]):
        return True
    return _head_word(words).lower() not in ANONYMOUS_HEADS


def _head_word(words: Sequence[str]) -> str:
    """The head of a source phrase: the last word before "familiar", "close", "with", "who",
    "in", "at", "from", "of" (which open its modifiers), else its last word."""
    for k, w in enumerate(words):
        if k and w.lower() in ("familiar", "close", "with", "who", "in", "at", "from", "of",
                               "that", "briefed", "speaking"):
            return words[k - 1]
    return words[-1]


_COMMON_STARTS = frozenset({
    "officials", "critics", "sources", "experts", "analysts", "observers", "aides", "some",
    "many", "others", "several", "two", "three", "one", "the", "a", "an", "this", "those",
    "these", "most", "people", "witnesses", "residents", "investigators", "authorities",
    "police", "democrats", "republicans", "supporters", "opponents", "advisers", "advisors",
    "insiders", "reports", "polls", "studies", "researchers", "scientists", "economists",
    "lawmakers", "voters", "activists", "prosecutors", "diplomats", "staffers", "friends",
    "allies", "rivals", "both", "all", "each", "his", "her", "their", "our", "its",
})  # fmt: skip


def _is_common_word(word: str) -> bool:
    return word.lower() in _COMMON_STARTS


# --- scoring one PolNeAR article ---------------------------------------------------------------


@dataclass
class ArticleTally:
    """What one article adds to the PolNeAR figures."""

    by_kind: Counter = field(default_factory=Counter)  # kind -> claims
    by_kind_attributed: Counter = field(default_factory=Counter)  # kind -> gold-attributed
    flagged: Counter = field(default_factory=Counter)  # flag code -> flags on claims
    flag_status: Counter = field(default_factory=Counter)  # (code, gold status) -> flags
    eligible_free: int = 0  # claims that could be flagged unattributed and are gold-free
    eligible_free_flagged: int = 0
    # On articles a second annotator also marked (one count per second annotator):
    second_annotators: int = 0
    second_free: int = 0  # claims the second annotator does not attribute
    second_free_attributed: int = 0  # ... that the gold annotator attributes
    double_unattributed: int = 0  # claims unspin calls unattributed
    double_unattributed_attributed: int = 0  # ... that the gold annotator attributes


def tally_article(report, gold: GoldIndex, others: Sequence[GoldIndex] = ()
                  ) -> tuple[ArticleTally, list[dict]]:
    """The tally of one analysed article (a :class:`~unspin.report.Report`) against its
    gold index, and its claims as prediction rows. ``others`` are the indexes of the
    article's second annotators, if any (:func:`_tally_second_annotators`)."""
    from unspin.sourcing import unattributed_flag

    tally = ArticleTally()
    flags_at = {(f.code, f.start, f.end) for f in report.flags}
    claim_flags = _flags_by_claim(report)
    rows = []
    for k, claim in enumerate(report.claims):
        att = claim.attribution
        kind = att.kind if att is not None else "unattributed"
        status = gold.status(claim.start, claim.end)
        attributed = status in ("named", "anonymous")
        tally.by_kind[kind] += 1
        tally.by_kind_attributed[kind] += attributed
        for code in claim_flags.get(k, ()):
            tally.flagged[code] += 1
            tally.flag_status[(code, status)] += 1
        body = report.sentences[claim.sentence].part == "body"
        if body and not attributed and unattributed_flag(report, claim) is not None:
            tally.eligible_free += 1
            tally.eligible_free_flagged += ("unattributed_claim", claim.start, claim.end) in \
                flags_at
        rows.append({"claim": k + 1, "start": claim.start, "end": claim.end, "kind": kind,
                     "source": att.source.text if att is not None and att.source else None,
                     "flags": sorted(claim_flags.get(k, ())), "gold": status})
    _tally_second_annotators(tally, report, gold, others)
    return tally, rows


def _tally_second_annotators(tally: ArticleTally, report, gold: GoldIndex,
                             others: Sequence[GoldIndex]) -> None:
    """In place: a second annotator taken as the system. Of unspin's claims that the second
    annotator does not attribute, how many the gold annotator attributes (the human
    counterpart of the "no source" figure), and unspin's own figure on the same claims."""
    if not others:
        return
    attributed = ("named", "anonymous")
    judged = [(c.start, c.end, c.attribution is None or c.attribution.kind == "unattributed",
               gold.status(c.start, c.end) in attributed) for c in report.claims]
    for other in others:
        tally.second_annotators += 1
        for start, end, unattributed, in_gold in judged:
            if other.status(start, end) not in attributed:
                tally.second_free += 1
                tally.second_free_attributed += in_gold
            if unattributed:
                tally.double_unattributed += 1
                tally.double_unattributed_attributed += in_gold


def _flags_by_claim(report) -> dict[int, list[str]]:
    """Claim index -> codes of the claim flags that point into it (the flag's span lies in
    the claim: the claim itself, its hedge or its anonymous source)."""
    out: dict[int, list[str]] = {}
    codes = ("unattributed_claim", "anonymous_claim", "hedged_claim")
    for flag in report.flags:
        if flag.code not in codes or flag.start is None:
            continue
        for k, claim in enumerate(report.claims):
            if _flag_of_claim(flag, claim):
                out.setdefault(k, []).append(flag.code)
                break
    return out


def _flag_of_claim(flag, claim) -> bool:
    """True if ``flag`` is about ``claim``: its span is the claim's, its hedge or source."""
    att = claim.attribution
    spans = [(claim.start, claim.end)]
    if att is not None:
        spans += [(s.start, s.end) for s in (att.hedge, att.source) if s is not None]
    return (flag.start, flag.end) in spans


# --- the figures -------------------------------------------------------------------------------


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _bootstrap(items: Sequence, figure: Callable[[Sequence], float | None]
               ) -> list[float] | None:
    """95% percentile interval of ``figure`` over the items (articles or pages) resampled
    with replacement."""
    if not items or figure(items) is None:
        return None
    rng = random.Random(SEED)
    values = []
    for _ in range(N_BOOTSTRAP):
        value = figure([items[rng.randrange(len(items))] for _ in items])
        if value is not None:
            values.append(value)
    return percentile_interval(values)


def _kind_share(kind: str) -> Callable[[Sequence[ArticleTally]], float | None]:
    def share(tallies: Sequence[ArticleTally]) -> float | None:
        return _share(sum(t.by_kind_attributed[kind] for t in tallies),
                      sum(t.by_kind[kind] for t in tallies))
    return share


def _flag_share(code: str, statuses: tuple[str, ...]
                ) -> Callable[[Sequence[ArticleTally]], float | None]:
    def share(tallies: Sequence[ArticleTally]) -> float | None:
        return _share(sum(t.flag_status[(code, s)] for t in tallies for s in statuses),
                      sum(t.flagged[code] for t in tallies))
    return share


def _ratio(num: str, den: str) -> Callable[[Sequence[ArticleTally]], float | None]:
    """The figure sum(num) / sum(den) over the tallies, for two count fields."""
    def share(tallies: Sequence[ArticleTally]) -> float | None:
        return _share(sum(getattr(t, num) for t in tallies),
                      sum(getattr(t, den) for t in tallies))
    return share


def _with_ci(tallies: Sequence[ArticleTally], figure) -> dict:
    return {"value": figure(tallies), "ci95": _bootstrap(tallies, figure)}


def polnear_figures(tallies: Sequence[ArticleTally]) -> dict:
    """The PolNeAR flag figures (see the module doc) from the articles' tallies."""
    by_kind = {}
    for kind in ATTRIBUTION_KINDS:
        n = sum(t.by_kind[kind] for t in tallies)
        by_kind[kind] = {"claims": n, "annotators_attribute": _with_ci(tallies,
                                                                       _kind_share(kind))}
    free = ("none", "sourceless")
    flags = {
        "unattributed_claim": {
            "flags": sum(t.flagged["unattributed_claim"] for t in tallies),
            "precision": _with_ci(tallies, _flag_share("unattributed_claim", free)),
            "recall": _with_ci(tallies, _ratio("eligible_free_flagged", "eligible_free")),
        },
        "anonymous_claim": {
            "flags": sum(t.flagged["anonymous_claim"] for t in tallies),
            "inside_unnamed_gold_source": _with_ci(
                tallies, _flag_share("anonymous_claim", ("anonymous",))),
            "inside_named_gold_source": _with_ci(
                tallies, _flag_share("anonymous_claim", ("named",))),
        },
        "hedged_claim": {
            "flags": sum(t.flagged["hedged_claim"] for t in tallies),
            "annotators_attribute": _with_ci(
                tallies, _flag_share("hedged_claim", ("named", "anonymous"))),
        },
    }
    double = [t for t in tallies if t.second_annotators]
    second = {
        "articles": len(double),
        "pairs": sum(t.second_annotators for t in double),
        "no_source_inside_gold": _with_ci(
            double, _ratio("second_free_attributed", "second_free")),
        "unspin_no_source_inside_gold": _with_ci(
            double, _ratio("double_unattributed_attributed", "double_unattributed")),
    }
    return {"by_kind": by_kind, "flags": flags, "second_annotator": second}


# --- running ---------------------------------------------------------------------------------


def lockbox_part(name: str) -> bool:
    """True for the fixed fifth of a training split that no choice looks at:
    ``sha256(name) % 5 == 0``."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 5 == 0


def _select(names: Sequence[str], part: str) -> list[str]:
    if part == "all":
        return list(names)
    if part not in ("development", "lockbox"):
        raise InputError(f"unknown part {part!r} (all, development or lockbox)")
    return [n for n in names if lockbox_part(n) == (part == "lockbox")]


def evaluate_polnear_flags(split_dir: Path, predictions_dir: Path | None = None, *,
                           part: str = "all", analyzer=None) -> dict:
    """The PolNeAR flag figures of a split (or of its ``development`` or ``lockbox`` part)."""
    from unspin.article import parse_text
    from unspin.evaluate.polnear import _same_length_newlines, read_polnear

    started = time.perf_counter()
    try:
        articles = read_polnear(split_dir)
    except FileNotFoundError as err:
        raise InputError(str(err)) from None
    keep = set(_select([a.name for a in articles], part))
    articles = [a for a in articles if a.name in keep]
    if not articles:
        raise InputError(f"no annotated articles in {split_dir}")
    analyzer = analyzer or _analyzer()
    tallies, skipped = [], 0
    for a in articles:
        text = _same_length_newlines(a.text)
        try:
            report = analyzer(parse_text(text))
        except UnspinError:
            skipped += 1
            continue
        if report.text != a.text and report.text != text:
            skipped += 1  # offsets would not line up with the gold spans
            continue
        others = [GoldIndex.build(report.text, rels) for rels in a.others.values()]
        tally, rows = tally_article(report, GoldIndex.build(report.text, a.relations), others)
        tallies.append(tally)
        if predictions_dir is not None:
            _write(predictions_dir, a.name, {"claims": rows, "flags": _flag_rows(report)})
    return {"benchmark": "flags", "split": str(split_dir), "part": part,
            "articles": len(tallies), "skipped": skipped, **polnear_figures(tallies),
            "seconds": round(time.perf_counter() - started, 1)}


def _flag_rows(report) -> list[dict]:
    return [f.model_dump() for f in report.flags]


def _write(folder: Path, name: str, payload: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1),
                                          encoding="utf-8")


def _analyzer():
    from unspin.pipeline import default_analyzer

    return default_analyzer()


# --- real pages --------------------------------------------------------------------------------


def _page_files(split_dir: Path) -> list[Path]:
    folder = split_dir / "html"
    if not folder.is_dir():
        raise InputError(f"{split_dir} has no html/ folder")
    pages = sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".html.gz")))
    if not pages:
        raise InputError(f"no .html or .html.gz pages in {folder}")
    return pages


def evaluate_page_flags(split_dir: Path, predictions_dir: Path | None = None, *,
                        analyzer=None) -> dict:
    """The share of real pages each flag fires on, and every firing of :data:`READ_FLAGS`."""
    from unspin.article.html import parse_html
    from unspin.evaluate.extraction import read_page

    started = time.perf_counter()
    analyzer = analyzer or _analyzer()
    fired: list[set[str]] = []
    firings: list[dict] = []
    refused: Counter[str] = Counter()
    for path in _page_files(split_dir):
        page = path.name.split(".")[0]
        try:
            report = analyzer(parse_html(read_page(path)))
        except UnspinError as err:
            refused[type(err).__name__] += 1
            continue
        fired.append({f.code for f in report.flags})
        for flag in report.flags:
            if flag.code in READ_FLAGS:
                firings.append({"page": page, "title": report.title.text if report.title
                                else None, **flag.model_dump()})
        if predictions_dir is not None:
            _write(predictions_dir, page, {"flags": _flag_rows(report)})
    codes = sorted({c for f in fired for c in f} | set(READ_FLAGS))
    rates = {code: _page_rate(fired, code) for code in codes}
    return {"benchmark": "flags", "split": str(split_dir), "pages": len(fired),
            "refused": dict(refused), "pages_with_flag": rates, "firings": firings,
            "seconds": round(time.perf_counter() - started, 1)}


def _page_rate(fired: Sequence[set[str]], code: str) -> dict:
    def rate(sample: Sequence[set[str]]) -> float | None:
        return _share(sum(code in f for f in sample), len(sample))

    return {"pages": sum(code in f for f in fired), "share": rate(fired),
            "ci95": _bootstrap(fired, rate)}


def evaluate_flags(split_dir: Path, predictions_dir: Path | None = None, *,
                   part: str = "all") -> dict:
    """Flag figures of a PolNeAR split or a folder of real pages (see the module doc)."""
    if (split_dir / "text").is_dir() and (split_dir / "attributions").is_dir():
        return evaluate_polnear_flags(split_dir, predictions_dir, part=part)
    if (split_dir / "html").is_dir():
        return evaluate_page_flags(split_dir, predictions_dir)
    raise InputError(f"{split_dir} is neither a PolNeAR split (text/, attributions/) nor a "
                     "folder of pages (html/)")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m unspin.evaluate.flags SPLIT [--part development|lockbox] [--predictions
    DIR]``: the figures of one part of a training split (the CLI scores whole splits)."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m unspin.evaluate.flags")
    p.add_argument("split_dir", type=Path)
    p.add_argument("--part", default="all", choices=["all", "development", "lockbox"])
    p.add_argument("--predictions", type=Path, default=None)
    args = p.parse_args(argv)
    try:
        scores = evaluate_flags(args.split_dir, args.predictions, part=args.part)
    except UnspinError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(scores, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
