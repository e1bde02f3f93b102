"""Headline and captions against the body: agree, disagree, discuss or unrelated (FNC-1 scheme).

Input: the article text, the span of its title, the spans of its captions and the spans of its
body sentences (all ``[start, end)`` code points into the text). Output: a
:class:`~unspin.report.Consistency` with, for the headline and each caption, the stance, its
probability, all four probabilities and the body sentences that drove the decision
(``evidence``), and :func:`consistency_flags` for the ``headline_mismatch`` and
``caption_mismatch`` flags.

How a short text ``h`` (headline or caption) is compared with a body of sentences ``s_1..s_n``
(:func:`pair_features`, the names in :data:`FEATURES`):

- **lexical overlap**: TF-IDF cosine (sublinear tf, IDF from the FNC-1 training bodies and
  headlines) of ``h`` against the whole body, against each sentence (max, mean of the best 3)
  and against the lead (first two sentences); the share of ``h``'s content words (plain and
  IDF-weighted) and content bigrams found in the body, in the lead and in the best sentence;
  numbers of ``h`` found or missing in the body; the rarest word of ``h`` the body lacks;
- **cues**: refutation words (deny, hoax, fake, false, debunk...), negations, hedges
  (reportedly, allegedly, claims, unconfirmed...), confirmations (confirmed, announced...) and
  attribution verbs (said, according to...), counted in ``h``, over the body, in the three
  sentences most similar to ``h`` (plain and similarity-weighted) and in the best one;
  and in the first three sentences; the rate of each of :data:`CUE_WORDS` (hoax, fake,
  denied, reportedly, not...) over the body;
- sizes: words of ``h``, words and sentences of the body, where the best sentence is.

A gradient-boosted tree ensemble (scikit-learn ``HistGradientBoostingClassifier`` at training
time) maps the features to four probabilities; its trees ship as numpy arrays
(``consistency.npz``) and are evaluated here by :class:`TreeEnsemble`, so inference needs numpy
only. The verdict is the class with the highest ``p_k * w_k``, where the decision weights ``w``
(stored with the model) correct for the class frequencies of the training data, chosen by
cross-validation (``unspin.train.consistency_recipe``; scores in ``docs/benchmarks.md``).

Why no encoder features: in the shared encoder pass the title and captions are packed into the
same 128-token window as the first body paragraphs, so their hidden states attend to the body;
measured on FNC-1 pairs, the pooled headline state in context has cosine 0.86 with the same
headline encoded alone, and its cosine with the first paragraph is about 0.80 whether the pair
is related or not (alone: 0.52 unrelated, 0.56-0.60 related). The context washes out the very
signal a stance model needs, so this head reads the text and leaves ``encoded`` unused (the
argument stays so callers do not change if a later model uses it).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.report import Consistency, Evidence, Flag, Stance

NAME = "consistency"
TREES_FILE = "consistency.npz"
CONFIG_FILE = "consistency_config.json"
LABELS = ("agree", "disagree", "discuss", "unrelated")
MISMATCH = ("disagree", "unrelated")

SpanLike = tuple[int, int]

# --- words -------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each few for from further had hadn't has hasn't have haven't having he he'd
he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
or other ought our ours ourselves out over own same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up very was
wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves also just now new one two may might will said says say s t us via
""".split())  # noqa: SIM905

CUES: dict[str, frozenset[str]] = {
    "refute": frozenset("""
fake fakes faked fraud fraudulent hoax hoaxes false falsely deny denies denied denying denial
denials despite nope doubt doubts doubted bogus debunk debunked debunks debunking prank pranks
pranked retract retracted retraction untrue fabricated fabrication fabricate satire satirical
parody spoof scam refute refuted refutes refuting dismiss dismissed dismisses reject rejected
rejects contradict contradicted contradicts misleading myth unfounded baseless incorrect wrong
erroneous discredited dispel dispelled photoshopped doctored fictional fiction lie lies lied
rubbish nonsense insists insisted clarified clarify
""".split()),  # noqa: SIM905
    "negate": frozenset("""
not no never none nobody nothing neither nor without cannot isn't aren't wasn't weren't don't
doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't ain't
""".split()),  # noqa: SIM905
    "hedge": frozenset("""
reportedly allegedly alleged alleges allege claim claims claimed claiming purportedly purported
supposedly apparently rumor rumors rumour rumours rumored rumoured speculation speculate
speculated unconfirmed unverified may might could possibly possible perhaps likely unclear
suggests suggest suggested appears appear appeared seems seem seemed believed believe thought
whether if unknown maybe report reports reported
""".split()),  # noqa: SIM905
    "confirm": frozenset("""
confirm confirms confirmed confirming confirmation announce announced announces official
officially verified verify true indeed proved proves proven proof revealed reveals admitted
admits acknowledged acknowledges genuine real actually definitely
""".split()),  # noqa: SIM905
    "attrib": frozenset("""
said says say told tells according stated states statement spokesman spokeswoman spokesperson
source sources interview quoted
""".split()),  # noqa: SIM905
}
CUE_NAMES = tuple(CUES)

CUE_WORDS = tuple("""
hoax fake false debunk debunked deny denied denies untrue prank satire satirical rumor rumors
rumour claims claimed reportedly allegedly unconfirmed confirmed not no never despite but however
said according photoshopped fabricated parody real true
""".split())  # noqa: SIM905
"""Words whose rate in the body (per sentence) is a feature of its own: the strongest cues of
the lists above, so the trees can weigh "hoax" apart from "not"."""
_QUOTES = set("\"“”‘’'")
_CUE_WORD_SET = frozenset(CUE_WORDS)


def _norm_word(raw: str) -> str:
    return raw.lower().replace("’", "'")


def stem(word: str) -> str:
    """A light, deterministic suffix stripper for matching word forms (not a linguistic stem):
    ``denies`` -> ``deny``, ``claimed`` -> ``claim``, ``reports`` -> ``report``."""
    w = word
    if w.endswith("'s"):
        w = w[:-2]
    n = len(w)
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("sses"):
        return w[:-2]
    if n > 5 and w.endswith("ing"):
        return w[:-3]
    if n > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("ed") and not w.endswith("eed"):
        return w[:-2]
    if n > 5 and w.endswith("ly"):
        return w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass
class Words:
    """The words of a piece of text: lowercased forms, content stems (stopwords and
    one-character words dropped), cue counts and numbers."""

    n_words: int
    content: list[str]
    cues: dict[str, int]
    numbers: list[str]
    quotes: int = 0
    question: bool = False
    words: Counter = field(default_factory=Counter)


def words_of(text: str) -> Words:
    raw = [_norm_word(m.group()) for m in _WORD.finditer(text)]
    content = []
    for w in raw:
        if w in STOPWORDS or (len(w) == 1 and not w.isdigit()):
            continue
        s = stem(w)
        if s and s not in STOPWORDS:
            content.append(s)
    cues = {name: 0 for name in CUE_NAMES}
    for w in raw:
        for name in CUE_NAMES:
            if w in CUES[name]:
                cues[name] += 1
        if w.endswith("n't") and w not in CUES["negate"]:
            cues["negate"] += 1
    numbers = [w for w in raw if any(c.isdigit() for c in w)]
    return Words(len(raw), content, cues, numbers,
                 quotes=sum(1 for c in text if c in _QUOTES), question="?" in text,
                 words=Counter(w for w in raw if w in _CUE_WORD_SET))


# --- IDF ---------------------------------------------------------------------------------------


@dataclass
class Idf:
    """Inverse document frequencies of stems; a stem not listed gets ``default``."""

    values: dict[str, float]
    default: float

    def __call__(self, stem_: str) -> float:
        return self.values.get(stem_, self.default)

    @classmethod
    def fit(cls, documents: Iterable[Iterable[str]], min_df: int = 2) -> Idf:
        """Smoothed IDF ``log((1 + N) / (1 + df)) + 1`` over ``documents`` (each an iterable
        of stems); stems in fewer than ``min_df`` documents are left to ``default`` (the IDF
        of a stem seen once)."""
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            df.update(set(doc))
        values = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items() if c >= min_df}
        return cls(dict(sorted(values.items())), math.log((1 + n) / 2) + 1)

    def to_json(self) -> dict:
        return {"default": self.default,
                "values": {w: round(v, 4) for w, v in self.values.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Idf:
        return cls({w: float(v) for w, v in data["values"].items()}, float(data["default"]))


def _weights(stems: Sequence[str], idf: Idf) -> dict[str, float]:
    """Sublinear TF-IDF weights ``(1 + log tf) * idf``."""
    return {w: (1.0 + math.log(c)) * idf(w) for w, c in Counter(stems).items()}


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def _bigrams(stems: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(stems, stems[1:], strict=False))


# --- the body -----------------------------------------------------------------------------------


@dataclass
class Body:
    """A body, indexed for comparing many short texts with it (:func:`pair_features`).

    ``spans`` are its sentences (``[start, end)`` into the text they came from)."""

    spans: list[SpanLike]
    sentences: list[Words]
    weights: list[dict[str, float]]
    norms: np.ndarray
    postings: dict[str, list[tuple[int, float]]]
    stems: Counter
    body_weights: dict[str, float]
    body_norm: float
    lead_weights: dict[str, float]
    lead_norm: float
    lead_stems: set[str]
    bigrams: set[tuple[str, str]]
    numbers: set[str]
    n_words: int
    cue_rate: dict[str, float]
    cue_share: dict[str, float]
    word_rate: dict[str, float]
    lead_cues: dict[str, int]
    cue_counts: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CUE_NAMES))))


LEAD_SENTENCES = 2
LEAD_CUE_SENTENCES = 3


def index_body(text: str, spans: Sequence[SpanLike], idf: Idf) -> Body:
    """Index the sentences ``spans`` of ``text`` as one body."""
    spans = [(int(a), int(b)) for a, b in spans]
    sentences = [words_of(text[a:b]) for a, b in spans]
    weights = [_weights(s.content, idf) for s in sentences]
    norms = np.asarray([_norm(w) for w in weights], dtype=np.float64)
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, w in enumerate(weights):
        for stem_, value in w.items():
            postings.setdefault(stem_, []).append((i, value))
    stems: Counter[str] = Counter()
    bigrams: set[tuple[str, str]] = set()
    numbers: set[str] = set()
    for s in sentences:
        stems.update(s.content)
        bigrams |= _bigrams(s.content)
        numbers.update(s.numbers)
    lead = [w for s in sentences[:LEAD_SENTENCES] for w in s.content]
    body_weights = _weights(list(stems.elements()), idf)
    lead_weights = _weights(lead, idf)
    n = max(len(sentences), 1)
    cue_counts = np.asarray([[s.cues[c] for c in CUE_NAMES] for s in sentences],
                            dtype=np.float64).reshape(-1, len(CUE_NAMES))
    cue_words: Counter[str] = Counter()
    for s in sentences:
        cue_words.update(s.words)
    return Body(
        spans=spans, sentences=sentences, weights=weights, norms=norms, postings=postings,
        stems=stems, body_weights=body_weights, body_norm=_norm(body_weights),
        lead_weights=lead_weights, lead_norm=_norm(lead_weights), lead_stems=set(lead),
        bigrams=bigrams, numbers=numbers, n_words=sum(s.n_words for s in sentences),
        cue_rate={c: float(cue_counts[:, k].sum()) / n for k, c in enumerate(CUE_NAMES)},
        cue_share={c: float((cue_counts[:, k] > 0).sum()) / n for k, c in enumerate(CUE_NAMES)},
        word_rate={w: cue_words[w] / n for w in CUE_WORDS},
        lead_cues={c: int(cue_counts[:LEAD_CUE_SENTENCES, k].sum())
                   for k, c in enumerate(CUE_NAMES)},
        cue_counts=cue_counts,
    )


# --- features ----------------------------------------------------------------------------------

TOP = 3

FEATURES: tuple[str, ...] = (
    "cos_body", "cos_max", "cos_top3", "cos_mean", "cos_lead", "share_matching",
    "cover", "cover_idf", "cover_lead", "cover_best", "bigram_cover", "missing_idf_max",
    "numbers", "numbers_found", "numbers_missing",
    "head_words", "body_words_log", "sentences_log", "best_position",
    "head_quotes", "head_question",
    *[f"head_{c}" for c in CUE_NAMES],
    *[f"body_rate_{c}" for c in CUE_NAMES],
    *[f"body_share_{c}" for c in CUE_NAMES],
    *[f"top3_{c}" for c in CUE_NAMES],
    *[f"top3w_{c}" for c in CUE_NAMES],
    *[f"best_{c}" for c in CUE_NAMES],
    *[f"lead_{c}" for c in CUE_NAMES],
    *[f"word_{w}" for w in CUE_WORDS],
)


@dataclass
class Match:
    """How a short text matches a body: the features, and the sentences by similarity."""

    features: np.ndarray
    cosines: np.ndarray      # per body sentence
    order: np.ndarray        # sentence indices, most similar first


def match(head: str | Words, body: Body, idf: Idf) -> Match:
    """Compare the short text ``head`` with ``body`` (see the module docstring)."""
    h = words_of(head) if isinstance(head, str) else head
    hw = _weights(h.content, idf)
    hnorm = _norm(hw)
    n = len(body.sentences)
    dots = np.zeros(n, dtype=np.float64)
    for stem_, value in hw.items():
        for i, sv in body.postings.get(stem_, ()):
            dots[i] += value * sv
    cosines = dots / np.maximum(hnorm * body.norms, 1e-12) if n else dots
    order = np.lexsort((np.arange(n), -cosines)) if n else np.zeros(0, dtype=np.int64)
    top = order[:TOP]
    best = int(order[0]) if n else -1

    def cos_with(weights: dict[str, float], norm: float) -> float:
        if not hnorm or not norm:
            return 0.0
        return sum(v * weights.get(w, 0.0) for w, v in hw.items()) / (hnorm * norm)

    content = set(h.content)
    idf_total = math.fsum(idf(w) for w in content)  # exact: sets have no fixed order
    found = {w for w in content if w in body.stems}
    missing = content - found
    hb = _bigrams(h.content)
    best_stems = set(body.sentences[best].content) if best >= 0 else set()
    numbers_found = sum(1 for x in set(h.numbers) if x in body.numbers)
    k = len(content)
    f: dict[str, float] = {
        "cos_body": cos_with(body.body_weights, body.body_norm),
        "cos_max": float(cosines[best]) if n else 0.0,
        "cos_top3": float(cosines[top].mean()) if n else 0.0,
        "cos_mean": float(cosines.mean()) if n else 0.0,
        "cos_lead": cos_with(body.lead_weights, body.lead_norm),
        "share_matching": float((cosines > 0.2).mean()) if n else 0.0,
        "cover": len(found) / k if k else 0.0,
        "cover_idf": math.fsum(idf(w) for w in found) / idf_total if idf_total else 0.0,
        "cover_lead": len(content & body.lead_stems) / k if k else 0.0,
        "cover_best": len(content & best_stems) / k if k else 0.0,
        "bigram_cover": len(hb & body.bigrams) / len(hb) if hb else 0.0,
        "missing_idf_max": max((idf(w) for w in missing), default=0.0),
        "numbers": float(len(set(h.numbers))),
        "numbers_found": float(numbers_found),
        "numbers_missing": float(len(set(h.numbers)) - numbers_found),
        "head_words": float(h.n_words),
        "body_words_log": math.log1p(body.n_words),
        "sentences_log": math.log1p(n),
        "best_position": best / max(n - 1, 1) if n else 0.0,
        "head_quotes": float(h.quotes),
        "head_question": float(h.question),
    }
    counts = body.cue_counts
    for j, c in enumerate(CUE_NAMES):
        f[f"head_{c}"] = float(h.cues[c])
        f[f"body_rate_{c}"] = body.cue_rate[c]
        f[f"body_share_{c}"] = body.cue_share[c]
        f[f"top3_{c}"] = float(counts[top, j].sum()) if n else 0.0
        f[f"top3w_{c}"] = float((counts[top, j] * cosines[top]).sum()) if n else 0.0
        f[f"best_{c}"] = float(counts[best, j]) if n else 0.0
        f[f"lead_{c}"] = float(body.lead_cues[c])
    for w in CUE_WORDS:
        f[f"word_{w}"] = body.word_rate[w]
    return Match(np.asarray([f[name] for name in FEATURES], dtype=np.float64), cosines, order)


def pair_features(head: str | Words, body: Body, idf: Idf) -> np.ndarray:
    """The feature vector (:data:`FEATURES`) of a short text against a body."""
    return match(head, body, idf).features


# --- the tree ensemble -----------------------------------------------------------------------


class TreeEnsemble:
    """Gradient-boosted regression trees for K classes, evaluated in numpy.

    Arrays (one row per node of all trees, trees laid end to end): ``feature`` (int),
    ``threshold`` (float64: go left when ``x <= threshold``), ``missing_left`` (NaN goes
    left), ``left`` and ``right`` (absolute node indices), ``leaf`` (bool), ``value`` (the
    leaf's contribution); per tree: ``root`` (node index) and ``tree_class``; ``baseline``
    [K]. Raw scores are ``baseline + Σ`` leaf values per class, probabilities their softmax."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.feature = np.asarray(arrays["feature"], dtype=np.int64)
        self.threshold = np.asarray(arrays["threshold"], dtype=np.float64)
        self.missing_left = np.asarray(arrays["missing_left"], dtype=bool)
        self.left = np.asarray(arrays["left"], dtype=np.int64)
        self.right = np.asarray(arrays["right"], dtype=np.int64)
        self.leaf = np.asarray(arrays["leaf"], dtype=bool)
        self.value = np.asarray(arrays["value"], dtype=np.float64)
        self.root = np.asarray(arrays["root"], dtype=np.int64)
        self.tree_class = np.asarray(arrays["tree_class"], dtype=np.int64)
        self.baseline = np.asarray(arrays["baseline"], dtype=np.float64)
        self.depth = int(arrays["depth"]) if "depth" in arrays else 64

    def arrays(self) -> dict[str, np.ndarray]:
        return {"feature": self.feature.astype(np.int16), "threshold": self.threshold,
                "missing_left": self.missing_left, "left": self.left.astype(np.int32),
                "right": self.right.astype(np.int32), "leaf": self.leaf,
                "value": self.value, "root": self.root.astype(np.int32),
                "tree_class": self.tree_class.astype(np.int8), "baseline": self.baseline,
                "depth": np.asarray(self.depth)}

    def raw(self, X: np.ndarray) -> np.ndarray:
        """[n, n_features] -> raw scores [n, K]."""
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        node = np.broadcast_to(self.root, (n, len(self.root))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth + 1):
            leaf = self.leaf[node]
            if leaf.all():
                break
            x = X[rows, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        out = np.tile(self.baseline, (n, 1))
        contrib = self.value[node]
        for k in range(len(self.baseline)):
            out[:, k] += contrib[:, self.tree_class == k].sum(axis=1)
        return out

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = self.raw(X)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


# --- the model ---------------------------------------------------------------------------------


@dataclass
class ConsistencyConfig:
    labels: tuple[str, ...] = LABELS
    features: tuple[str, ...] = FEATURES
    decision_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    flag_threshold: float = 0.5
    evidence: int = 2


class ConsistencyModel:
    """The shipped stance model: IDF, trees and decision weights."""

    def __init__(self, trees: TreeEnsemble, idf: Idf, config: ConsistencyConfig):
        if tuple(config.features) != FEATURES:
            from unspin.errors import ModelError

            raise ModelError("the consistency model was trained on other features than this "
                             "unspin computes; retrain it (unspin train consistency)")
        self.trees = trees
        self.idf = idf
        self.config = config

    @classmethod
    def load(cls, model_dir: Path | None = None) -> ConsistencyModel:
        """Load ``consistency.npz`` and ``consistency_config.json`` from ``model_dir``
        (default: the shipped models), checking their hashes against the manifest."""
        from unspin.models import MODELS_DIR, model_file

        model_dir = Path(model_dir) if model_dir is not None else MODELS_DIR
        trees_path = model_file(NAME, TREES_FILE, model_dir)
        config_path = model_file(NAME, CONFIG_FILE, model_dir)
        with np.load(trees_path) as arrays:
            trees = TreeEnsemble({k: arrays[k] for k in arrays.files})
        data = json.loads(config_path.read_text(encoding="utf-8"))
        config = ConsistencyConfig(
            labels=tuple(data["labels"]), features=tuple(data["features"]),
            decision_weights=tuple(float(w) for w in data["decision_weights"]),
            flag_threshold=float(data["flag_threshold"]), evidence=int(data["evidence"]))
        return cls(trees, Idf.from_json(data["idf"]), config)

    def proba(self, X: np.ndarray) -> np.ndarray:
        """[n, n_features] -> [n, 4] probabilities in :data:`LABELS` order."""
        if len(X) == 0:
            return np.zeros((0, len(self.config.labels)))
        return self.trees.proba(X)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        """Class indices: argmax of ``probs * decision_weights``."""
        return np.argmax(np.asarray(probs) * np.asarray(self.config.decision_weights), axis=1)

    def predict(self, pairs: Sequence[tuple[str, Body]]) -> list[str]:
        """Stance labels for ``(short text, indexed body)`` pairs."""
        if not pairs:
            return []
        X = np.stack([pair_features(h, b, self.idf) for h, b in pairs])
        return [self.config.labels[k] for k in self.decide(self.proba(X))]

    def index(self, text: str, sentences: Sequence[SpanLike]) -> Body:
        return index_body(text, sentences, self.idf)

    def verdict(self, text: str, span: SpanLike, body: Body) -> Stance:
        """The stance of ``text[span]`` against ``body``, with its evidence sentences."""
        start, end = int(span[0]), int(span[1])
        head = words_of(text[start:end])
        m = match(head, body, self.idf)
        probs = self.proba(m.features[None, :])[0]
        k = int(self.decide(probs[None, :])[0])
        stance = self.config.labels[k]
        evidence = [Evidence(start=body.spans[i][0], end=body.spans[i][1],
                             text=text[body.spans[i][0]:body.spans[i][1]],
                             similarity=round(float(m.cosines[i]), 4),
                             cues=_cues_in(text[body.spans[i][0]:body.spans[i][1]]))
                    for i in evidence_sentences(stance, m, body, self.config.evidence)]
        return Stance(
            start=start, end=end, text=text[start:end], stance=stance,
            score=round(float(probs[k]), 4),
            scores={label: round(float(p), 4)
                    for label, p in zip(self.config.labels, probs, strict=True)},
            evidence=evidence)


def evidence_sentences(stance: str, m: Match, body: Body, limit: int = 2) -> list[int]:
    """Indices of the body sentences that back ``stance``, in text order: the sentences most
    similar to the short text (similarity above 0); for ``disagree`` the most similar of the
    five best that carry a refutation or negation cue come first; for ``unrelated`` only the
    best match (to show how weak the link is), if any word is shared."""
    ranked = [int(i) for i in m.order if m.cosines[i] > 0]
    if not ranked:
        return []
    if stance == "unrelated":
        chosen = ranked[:1]
    elif stance == "disagree":
        r, n_ = CUE_NAMES.index("refute"), CUE_NAMES.index("negate")
        cued = [i for i in ranked[:5] if body.cue_counts[i, r] + body.cue_counts[i, n_] > 0]
        chosen = (cued + [i for i in ranked if i not in cued])[:limit]
    else:
        chosen = ranked[:limit]
    return sorted(chosen)


def _cues_in(text: str) -> list[str]:
    """The refutation, negation and hedge words in a sentence, in order, without repeats."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        w = _norm_word(m.group())
        kind = ("refute" if w in CUES["refute"] else
                "negate" if w in CUES["negate"] or w.endswith("n't") else
                "hedge" if w in CUES["hedge"] else None)
        if kind and m.group() not in out:
            out.append(m.group())
    return out


def _span_of(item) -> SpanLike:
    if isinstance(item, tuple | list):
        return int(item[0]), int(item[1])
    return int(item.start), int(item.end)


def judge(text: str, title, captions: Sequence = (), sentences: Sequence = (),
          encoded=None, model: ConsistencyModel | None = None) -> Consistency | None:
    """Headline and captions against the body.

    ``text``: the article text. ``title``: the title span (``(start, end)`` or anything with
    ``start``/``end``, e.g. ``report.title``) or ``None``. ``captions``: caption spans
    (``report.captions``; credit lines are skipped when they carry ``kind == "credit"``).
    ``sentences``: the body sentences (``report.sentences``; items with a ``part`` other than
    ``"body"`` are skipped, so the report's full list can be passed). ``encoded``: the shared
    encoder output; accepted and unused by this model (see the module docstring). ``model``:
    default the shipped :class:`ConsistencyModel`.

    Returns ``None`` when there is no body sentence or nothing to judge (no title and no
    caption)."""
    del encoded  # not used by this model; see the module docstring
    body_spans = [_span_of(s) for s in sentences if getattr(s, "part", "body") == "body"]
    body_spans = [(a, b) for a, b in body_spans if b > a]
    caption_spans = [_span_of(c) for c in captions if getattr(c, "kind", "caption") != "credit"]
    caption_spans = [(a, b) for a, b in caption_spans if text[a:b].strip()]
    title_span = _span_of(title) if title is not None else None
    if title_span is not None and not text[title_span[0]:title_span[1]].strip():
        title_span = None
    if not body_spans or (title_span is None and not caption_spans):
        return None
    model = model or load_model()
    body = model.index(text, body_spans)
    return Consistency(
        headline=model.verdict(text, title_span, body) if title_span else None,
        captions=[model.verdict(text, span, body) for span in caption_spans])


def judge_report(report, encoded=None, model: ConsistencyModel | None = None
                 ) -> Consistency | None:
    """:func:`judge` on a :class:`~unspin.report.Report`'s title, captions and sentences."""
    return judge(report.text, report.title, report.captions, report.sentences, encoded, model)


_MODEL: ConsistencyModel | None = None


def load_model() -> ConsistencyModel:
    """The shipped model, loaded once per process."""
    global _MODEL
    if _MODEL is None:
        _MODEL = ConsistencyModel.load()
    return _MODEL


def consistency_flags(consistency: Consistency | None, threshold: float | None = None,
                      model: ConsistencyModel | None = None) -> list[Flag]:
    """``headline_mismatch`` / ``caption_mismatch`` flags for a headline or caption judged
    ``disagree`` or ``unrelated`` with a probability of at least ``threshold`` (default: the
    ``flag_threshold`` of ``model``, itself by default the shipped model). Each flag carries
    the span of the headline or caption, and its message the verdict, its probability and the
    threshold."""
    if consistency is None:
        return []
    if threshold is None:
        threshold = (model or load_model()).config.flag_threshold
    items = ([("headline", consistency.headline)] if consistency.headline else []) + \
        [("caption", c) for c in consistency.captions]
    flags = []
    for kind, v in items:
        if v.stance not in MISMATCH or v.score < threshold:
            continue
        what = "contradicts" if v.stance == "disagree" else "is unrelated to"
        message = (f"The {kind} {what} the body (stance {v.stance}, p = {v.score:.2f}; "
                   f"flagged at p >= {threshold:.2f}).")
        if v.evidence and v.stance == "disagree":
            message += f" See: “{_clip(v.evidence[0].text, 120)}”"
        flags.append(Flag(code=f"{kind}_mismatch", message=message, start=v.start, end=v.end,
                          text=v.text))
    return flags


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
