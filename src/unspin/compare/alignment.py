"""One story told side by side: aligned figures, claims told only here, sources, language.

Everything here reads the articles' Reports; nothing is analysed again.

**Aligned claims** (:func:`align_figures`). Every quantity that counts or measures something
(kinds count, percent, money, measure, duration; not dates, ordinals or vague amounts) is keyed
by its kind and its unit, singular and lower case ("drones" -> ``count:drone``, ``money:USD``).
Two quantities of different articles with the same key are about the same thing when their
contexts are alike: the mean of the TF-IDF cosine of their sentences' words
(:mod:`unspin.compare.lexical`, idf against the background plus the story's sentences) and the
cosine of the words within :data:`LOCAL_CHARS` characters either side of the quantity in its
sentence (which tells "Romney 21 percent, Huckabee 17 percent" apart; when a sentence holds
several figures with the same unit, the local words alone count) is at least
:data:`FIGURE_CONTEXT`, or :data:`FIGURE_CONTEXT_SAME_VALUE` when the two figures are the same
value (the same number with the same unit is itself evidence). Two different values more than
:data:`MAX_RATIO` times apart need :data:`FIGURE_CONTEXT_FAR` (outlets that disagree on a
figure are rarely that far apart; different figures in like sentences often are), and never
align when a sentence holds several figures with the unit. Values are
*the same* when they are equal once the more precise one is rounded to the other's
significant digits and they are within 10% ("$13.6 million", "$13,625,777"). Pairs are joined
best first (a pair of the same value counts :data:`SAME_VALUE_BONUS` more) into groups that
hold at most one figure per article (an article that repeats a figure, say in its headline and
its body, keeps one figure with ``also`` for the repeats). A group of two or more articles is
an :class:`~unspin.compare.model.AlignedClaim`: each article's figure, its sentence, and the
attribution of that sentence's claim (``not_a_claim`` when the sentence was not judged
check-worthy); ``agreement`` is ``same``, ``rounded`` or ``differ``; ``attributions_agree`` is
false when the kinds of attribution differ or the named sources do not match; ``missing``
names the articles of the story that give no figure for it.

**Told only here** (:func:`only_here`). A check-worthy claim of one article whose quantities
are in no aligned claim and whose sentence has no sentence of another article of the story
with a word cosine of :data:`ONLY_HERE_BELOW` or more.

**Sources** (:func:`story_sources`). Each article's cited sources (``Report.sources``) are
merged across articles by name: people by surname, other sources when the words of one name
(less titles such as "Mr." or "spokesman") are all in the other's; anonymous sources only
when their names are the same. A merged source is named as most of its mentions name it.
``only_here``: cited by one article only.

**Language** (:func:`article_language`). Technique spans and Loaded_Language spans (the
loaded wording) per 100 words, the most used techniques, and the *targets*: the named people,
organisations, places and groups (PERSON, ORG, NORP, GPE entities) with a mention inside a
Loaded_Language span or at most :data:`TARGET_WORDS` words from it in the same sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from unspin.compare.lexical import cosine, stop_words, tfidf_vectors, words
from unspin.compare.model import (
    AlignedClaim,
    ArticleLanguage,
    Citation,
    ClaimAttribution,
    Count,
    Figure,
    LoadedSpan,
    OnlyHere,
    StoryArticle,
    StorySource,
    Target,
)
from unspin.report import Claim, Quantity, Report, Span

FIGURE_KINDS = ("count", "percent", "money", "measure", "duration")
FIGURE_CONTEXT = 0.2
FIGURE_CONTEXT_SAME_VALUE = 0.1
SAME_VALUE_BONUS = 0.1
LOCAL_CHARS = 50
MAX_RATIO = 2.0
ROUNDED_WITHIN = 0.1
FIGURE_CONTEXT_FAR = 0.5
ONLY_HERE_BELOW = 0.25
TARGET_WORDS = 4
TARGET_LABELS = ("PERSON", "ORG", "NORP", "GPE")
LOADED = "Loaded_Language"
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "spokesman",
           "spokeswoman", "spokesperson", "minister", "secretary", "senator", "governor",
           "chairman", "chief", "official", "officials", "leader", "gen", "general", "prime"}


class StoryText:
    """The sentences of a story's articles as TF-IDF vectors on one idf table."""

    def __init__(self, reports: Sequence[Report]):
        self.reports = list(reports)
        counts, self.where = [], []
        for k, report in enumerate(self.reports):
            for s in report.sentences:
                counts.append(words(s.text))
                self.where.append((k, s.index))
        self.vectors: dict[tuple[int, int], dict[str, float]] = dict(
            zip(self.where, tfidf_vectors(counts), strict=True))
        self._closest: dict[tuple[int, int], float] | None = None

    def similarity(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        return cosine(self.vectors.get(a, {}), self.vectors.get(b, {}))

    def closest_elsewhere(self, k: int, sentence: int) -> float:
        """The highest word cosine between sentence ``sentence`` of article ``k`` and any
        sentence of the other articles."""
        if self._closest is None:
            self._closest = self._all_closest()
        return self._closest.get((k, sentence), 0.0)

    def _all_closest(self, block: int = 512) -> dict[tuple[int, int], float]:
        """:meth:`closest_elsewhere` of every sentence at once: one dense float32 matrix over
        the story's words, multiplied by itself in blocks of rows."""
        n = len(self.where)
        if n == 0:
            return {}
        ids: dict[str, int] = {}
        for v in self.vectors.values():
            for w in v:
                ids.setdefault(w, len(ids))
        x = np.zeros((n, max(len(ids), 1)), dtype=np.float32)
        for row, key in enumerate(self.where):
            for w, value in self.vectors[key].items():
                x[row, ids[w]] = value
        article = np.array([k for k, _ in self.where])
        best = np.zeros(n, dtype=np.float32)
        for b0 in range(0, n, block):
            sims = x[b0:b0 + block] @ x.T
            sims[article[b0:b0 + block, None] == article[None, :]] = 0.0
            best[b0:b0 + block] = sims.max(axis=1)
        return {key: float(v) for key, v in zip(self.where, best.tolist(), strict=True)}


def claim_of_sentence(report: Report) -> dict[int, Claim]:
    return {c.sentence: c for c in report.claims}


def attribution_of(report: Report, sentence: int,
                   claims: dict[int, Claim] | None = None) -> ClaimAttribution:
    claim = (claims if claims is not None else claim_of_sentence(report)).get(sentence)
    if claim is None or claim.attribution is None:
        return ClaimAttribution(kind="not_a_claim")
    a = claim.attribution
    return ClaimAttribution(kind=a.kind, source=a.source, cue=a.cue, hedge=a.hedge)


def unit_key(kind: str, unit: str | None) -> str:
    """``kind:unit``, the unit lower case and singular ("drones" -> "drone")."""
    if not unit:
        return f"{kind}:"
    u = unit.strip()
    if kind == "money":
        return f"money:{u.upper()}"
    u = u.casefold()
    last = u.split()[-1] if u.split() else u
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return f"{kind}:{' '.join(u.split()[:-1] + [last])}"


class _Item:
    """One article's figure: a quantity, with the article's repeats of the same value."""

    def __init__(self, k: int, q: int, key: str, value: float):
        self.k, self.q, self.key, self.value = k, q, key, value
        self.also: list[int] = []


def _items(reports: Sequence[Report]) -> list[_Item]:
    items: list[_Item] = []
    for k, report in enumerate(reports):
        seen: dict[tuple[str, float], _Item] = {}
        for q, quantity in enumerate(report.quantities):
            if quantity.kind not in FIGURE_KINDS or quantity.value is None:
                continue
            key = unit_key(quantity.kind, quantity.unit)
            if key.endswith(":") and quantity.kind == "count":
                continue
            known = seen.get((key, quantity.value))
            if known is not None:
                # prefer a body sentence as the figure's place; keep the other as a repeat
                here = report.sentences[quantity.sentence].part
                there = report.sentences[report.quantities[known.q].sentence].part
                if there != "body" and here == "body":
                    known.also.append(known.q)
                    known.q = q
                else:
                    known.also.append(q)
                continue
            item = seen[(key, quantity.value)] = _Item(k, q, key, quantity.value)
            items.append(item)
    return items


def _ratio(a: float, b: float) -> float:
    lo, hi = sorted((abs(a), abs(b)))
    return float("inf") if lo == 0 and hi > 0 else (hi / lo if lo else 1.0)


def significant_digits(q: Quantity) -> int:
    """How many significant digits the figure is written with: "13.6 million" 3, "43,885,310"
    7, "500,000" 1, "$1 million" 1, "10" 2 (below 1,000 every digit counts); a number in
    words counts as written in digits."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", q.number)
    if m is None:
        digits = str(int(abs(q.value))) if q.value is not None else "1"
        return max(1, len(digits.rstrip("0")))
    raw = m.group().replace(",", "")
    if "." in raw:
        return max(1, len(raw.replace(".", "").lstrip("0")))
    raw = raw.lstrip("0") or "0"
    scaled = q.value is not None and abs(q.value) >= 1000 * max(int(raw), 1) - 0.5
    if int(raw) < 1000 and not scaled:
        return len(raw)            # "10 percent": the zero counts
    return max(1, len(raw.rstrip("0")))    # "500,000", "$1 million": round figures


def _round_sig(x: float, digits: int) -> float:
    if x == 0:
        return 0.0
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def same_value(a: Quantity, b: Quantity) -> bool:
    """The two figures are the same value, the more precise one rounded to the other's
    significant digits, and at most :data:`ROUNDED_WITHIN` apart ("$10 million" is not
    "$13.6 million" rounded)."""
    if a.value is None or b.value is None:
        return False
    if a.value == b.value:
        return True
    if abs(a.value - b.value) > ROUNDED_WITHIN * max(abs(a.value), abs(b.value)):
        return False
    digits = min(significant_digits(a), significant_digits(b))
    return math.isclose(_round_sig(a.value, digits), _round_sig(b.value, digits),
                        rel_tol=1e-9)


def _local_text(report: Report, q: int) -> str:
    """The words of quantity ``q``'s sentence within LOCAL_CHARS of it, stopping at the
    sentence's other quantities, the quantity itself left out."""
    quantity = report.quantities[q]
    s = report.sentences[quantity.sentence]
    lo, hi = max(s.start, quantity.start - LOCAL_CHARS), min(s.end, quantity.end + LOCAL_CHARS)
    for other in report.quantities:
        if other.sentence == quantity.sentence and other is not quantity:
            if other.end <= quantity.start:
                lo = max(lo, other.end)
            elif other.start >= quantity.end:
                hi = min(hi, other.start)
    text = report.text
    return text[lo:quantity.start] + " " + text[quantity.end:hi]


def align_figures(reports: Sequence[Report], names: Sequence[str],
                  text: StoryText | None = None) -> list[AlignedClaim]:
    """The aligned claims of a story (see the module docstring): those whose figures
    disagree first, then by how many articles give them."""
    text = text or StoryText(reports)
    items = _items(reports)
    by_key: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        by_key[item.key].append(n)
    local = tfidf_vectors([words(_local_text(reports[it.k], it.q)) for it in items])
    crowded = Counter((it.k, reports[it.k].quantities[it.q].sentence, it.key) for it in items)
    pairs: list[tuple[float, int, int]] = []
    for members in by_key.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = items[members[x]], items[members[y]]
                if a.k == b.k:
                    continue
                qa, qb = reports[a.k].quantities[a.q], reports[b.k].quantities[b.q]
                near = cosine(local[members[x]], local[members[y]])
                if (crowded[(a.k, qa.sentence, a.key)] > 1
                        or crowded[(b.k, qb.sentence, b.key)] > 1):
                    sim, sim_kind = near, "local"
                else:
                    sim = (0.5 * text.similarity((a.k, qa.sentence), (b.k, qb.sentence))
                           + 0.5 * near)
                    sim_kind = "sentence"
                same = same_value(qa, qb)
                if same:
                    need = FIGURE_CONTEXT_SAME_VALUE
                elif _ratio(a.value, b.value) > MAX_RATIO:
                    need = FIGURE_CONTEXT_FAR if sim_kind == "sentence" else math.inf
                else:
                    need = FIGURE_CONTEXT
                if sim >= need:
                    pairs.append((sim + (SAME_VALUE_BONUS if same else 0.0),
                                  members[x], members[y]))
    group = list(range(len(items)))
    articles: dict[int, set[int]] = {n: {items[n].k} for n in range(len(items))}

    def find(x: int) -> int:
        while group[x] != x:
            group[x] = group[group[x]]
            x = group[x]
        return x

    for _, a, b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ra, rb = find(a), find(b)
        if ra == rb or articles[ra] & articles[rb]:
            continue
        group[rb] = ra
        articles[ra] |= articles.pop(rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(items)):
        groups[find(n)].append(n)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        out.append(_aligned(reports, names, text, [items[n] for n in members]))
    out.sort(key=lambda c: (c.agree, c.attributions_agree, -len(c.figures), c.about))
    return out


def _aligned(reports: Sequence[Report], names: Sequence[str], text: StoryText,
             members: list[_Item]) -> AlignedClaim:
    members = sorted(members, key=lambda it: it.k)
    figures = []
    for it in members:
        report = reports[it.k]
        q = report.quantities[it.q]
        s = report.sentences[q.sentence]
        figures.append(Figure(
            input=names[it.k], outlet=report.meta.outlet, value=q.value, number=q.number,
            quantity=Span(start=q.start, end=q.end, text=q.text),
            sentence=Span(start=s.start, end=s.end, text=s.text),
            attribution=attribution_of(report, q.sentence),
            also=[Span(start=report.quantities[j].start, end=report.quantities[j].end,
                       text=report.quantities[j].text) for j in it.also]))
    first = reports[members[0].k].quantities[members[0].q]
    about = first.unit or members[0].key.split(":", 1)[1]
    shared: Counter = Counter()
    weight: dict[str, float] = {}
    for it in members:
        q = reports[it.k].quantities[it.q]
        v = text.vectors.get((it.k, q.sentence), {})
        for w, x in v.items():
            shared[w] += 1
            weight[w] = max(weight.get(w, 0.0), x)
    unit_words = set(words(about))
    context = [w for w, c in sorted(shared.items(), key=lambda p: (-p[1], -weight[p[0]], p[0]))
               if c >= 2 and w not in unit_words][:5]
    values = {f.value for f in figures}
    quantities = [reports[it.k].quantities[it.q] for it in members]
    if len(values) == 1:
        agreement = "same"
    elif all(same_value(p, q) for i, p in enumerate(quantities) for q in quantities[i + 1:]):
        agreement = "rounded"
    else:
        agreement = "differ"
    agree = agreement != "differ"
    attributions_agree = _attributions_agree([f.attribution for f in figures])
    problems = []
    if not agree:
        problems.append("figures differ: " + "; ".join(
            f"{f.number} ({f.outlet or f.input})" for f in figures))
    if not attributions_agree:
        problems.append("attributions differ: " + "; ".join(
            f"{_describe(f.attribution)} ({f.outlet or f.input})" for f in figures))
    present = {it.k for it in members}
    return AlignedClaim(
        about=about, kind=first.kind, context=context, figures=figures, agreement=agreement,
        agree=agree,
        attributions_agree=attributions_agree,
        disagreement=" | ".join(problems) or None,
        missing=[names[k] for k in range(len(reports)) if k not in present])


def _describe(a: ClaimAttribution) -> str:
    if a.kind == "not_a_claim":
        return "no attribution found"
    if a.source is not None:
        return f"{a.kind.replace('_', ' ')} to {a.source.text}"
    return a.kind.replace("_", " ")


def name_words(name: str) -> list[str]:
    """The words of a source or entity name, less stop words, possessives and titles."""
    stops = stop_words()
    text = re.sub(r"['’]s\b", "", name.casefold())
    return [w for w in re.findall(r"[^\W_]+", text) if w not in stops and w not in _TITLES]


def names_match(a: str, b: str, person: bool) -> bool:
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return a.casefold().strip() == b.casefold().strip()
    if person:
        return wa[-1] == wb[-1]
    sa, sb = set(wa), set(wb)
    return sa <= sb or sb <= sa


def _attributions_agree(attributions: Sequence[ClaimAttribution]) -> bool:
    kinds = {a.kind for a in attributions}
    if len(kinds) > 1:
        return False
    sources = [a.source.text for a in attributions if a.source is not None]
    return all(names_match(sources[0], s, person=False) or names_match(sources[0], s, True)
               for s in sources[1:])


def only_here(reports: Sequence[Report], names: Sequence[str],
              aligned: Sequence[AlignedClaim], text: StoryText | None = None,
              below: float = ONLY_HERE_BELOW) -> list[OnlyHere]:
    """The check-worthy claims that no other article of the story makes (module docstring),
    most check-worthy first."""
    text = text or StoryText(reports)
    in_aligned: set[tuple[str, int]] = set()
    for claim in aligned:
        for f in claim.figures:
            in_aligned.add((f.input, f.quantity.start))
            in_aligned.update((f.input, s.start) for s in f.also)
    out = []
    if len(reports) < 2:
        return out
    for k, report in enumerate(reports):
        for claim in report.claims:
            qs = [report.quantities[i] for i in claim.quantities if i < len(report.quantities)]
            if any((names[k], q.start) in in_aligned for q in qs):
                continue
            closest = text.closest_elsewhere(k, claim.sentence)
            if closest >= below:
                continue
            out.append(OnlyHere(
                input=names[k], outlet=report.meta.outlet,
                sentence=Span(start=claim.start, end=claim.end, text=claim.text),
                checkworthiness=claim.checkworthiness,
                attribution=attribution_of(report, claim.sentence),
                quantities=[Span(start=q.start, end=q.end, text=q.text) for q in qs],
                closest=round(closest, 4)))
    out.sort(key=lambda o: (-o.checkworthiness, o.input, o.sentence.start))
    return out


def story_sources(reports: Sequence[Report], names: Sequence[str]) -> list[StorySource]:
    """The story's sources merged across articles (module docstring), the most widely cited
    first."""
    groups: list[dict] = []
    for k, report in enumerate(reports):
        for source in report.sources:
            person = source.kind == "person"
            match = None
            for g in groups:
                if source.kind == "anonymous" or g["kind"] == "anonymous":
                    same = (source.kind == g["kind"]
                            and source.name.casefold() == g["name"].casefold())
                elif person != (g["kind"] == "person"):
                    same = False
                else:
                    same = any(names_match(source.name, n, person) for n in g["names"])
                if same:
                    match = g
                    break
            if match is None:
                match = {"name": source.name, "kind": source.kind, "names": [], "cited": []}
                groups.append(match)
            match["names"].append(source.name)
            first = source.mentions[0] if source.mentions else None
            match["cited"].append(Citation(
                input=names[k], outlet=report.meta.outlet, name=source.name, kind=source.kind,
                mentions=len(source.mentions), claims=len(source.claims),
                where=list(source.where),
                first=Span(start=first.start, end=first.end, text=first.text) if first else None))
    out = []
    for g in groups:
        cited = g["cited"]
        kind = Counter(c.kind for c in cited).most_common(1)[0][0]
        # the name most mentions use, the longer one on a tie ("Todd Akin" over "Akin")
        weight: Counter = Counter()
        for c in cited:
            weight[c.name] += c.mentions
        name = max(weight, key=lambda n: (weight[n], len(n), n))
        out.append(StorySource(name=name, kind=kind, cited_by=cited,
                               only_here=len({c.input for c in cited}) == 1))
    out.sort(key=lambda s: (-len({c.input for c in s.cited_by}),
                            -sum(c.claims for c in s.cited_by), s.name))
    return out


def article_language(report: Report, name: str) -> ArticleLanguage:
    """Loaded wording, techniques and their targets in one article (module docstring)."""
    words_n = int(report.metrics.get("words") or len(re.findall(r"[^\W\d_]+", report.text)))
    per100 = 100.0 / max(words_n, 1)
    loaded = [t for t in report.techniques if t.technique == LOADED]
    counts = Counter(t.technique for t in report.techniques)
    wording = [LoadedSpan(start=t.start, end=t.end, text=t.text, score=round(t.score, 4))
               for t in loaded]
    return ArticleLanguage(
        input=name, outlet=report.meta.outlet, words=words_n,
        techniques=len(report.techniques),
        techniques_per_100_words=round(len(report.techniques) * per100, 2),
        loaded=len(loaded), loaded_per_100_words=round(len(loaded) * per100, 2),
        top_techniques=[Count(technique=t, count=c)
                        for t, c in sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:5]],
        loaded_wording=wording, targets=targets(report, wording))


def _sentence_of(report: Report, offset: int) -> int:
    for s in report.sentences:
        if s.start <= offset < max(s.end, s.start + 1):
            return s.index
    return -1


def targets(report: Report, wording: Sequence[LoadedSpan]) -> list[Target]:
    """The named people and groups inside or next to the loaded wording, most targeted
    first."""
    found: dict[int, dict] = {}
    text = report.text
    for span in wording:
        sentence = _sentence_of(report, span.start)
        for entity in report.entities:
            if entity.label not in TARGET_LABELS:
                continue
            for m in entity.mentions:
                if m.sentence != sentence:
                    continue
                if m.end <= span.start:
                    gap = text[m.end:span.start]
                elif m.start >= span.end:
                    gap = text[span.end:m.start]
                else:
                    gap = ""
                if len(re.findall(r"[^\W_]+", gap)) > TARGET_WORDS:
                    continue
                entry = found.setdefault(entity.id, {"entity": entity, "spans": []})
                if span not in entry["spans"]:
                    entry["spans"].append(span)
                break
    out = [Target(name=e["entity"].name, label=e["entity"].label, count=len(e["spans"]),
                  wording=e["spans"]) for e in found.values()]
    out.sort(key=lambda t: (-t.count, t.name))
    return out


def story_article(report: Report, name: str, only: int) -> StoryArticle:
    attribution = Counter(c.attribution.kind for c in report.claims if c.attribution)
    kinds = Counter(s.kind for s in report.sources)
    return StoryArticle(
        input=name, outlet=report.meta.outlet,
        title=report.title.text if report.title else None, date=report.meta.date,
        url=report.meta.url, words=int(report.metrics.get("words", 0)),
        claims=len(report.claims), attribution=dict(sorted(attribution.items())),
        source_kinds=dict(sorted(kinds.items())), only_here=only)
