"""BABE and BASIL: readers, official-layout writers, metrics, and scoring the loaded-wording
model (:mod:`unspin.loaded`) on a split.

Layouts (see ``../shared/data/README.md``):

- BABE ``<split>/sentences.tsv``: ``id, text, outlet, topic, type, label_bias, label_opinion,
  biased_words`` (a JSON list of the words experts marked). Each sentence is encoded as its
  own one-unit text.
- BASIL ``<split>/articles/<year>/<event>_<n>.json`` (title, ``body-paragraphs``: paragraphs
  as lists of sentences, ``triplet-uuid``) and ``<split>/annotations/<year>/<event>_<n>_ann.json``
  (``phrase-level-annotations``: ``id`` "p<N>", the N-th body sentence counting from 0 over all
  paragraphs, ``start``/``end`` inside that sentence, ``bias`` "lex" for loaded wording).
  An article is laid out as one text: the title on the first line, then one line per
  paragraph, its sentences joined by single spaces (:func:`basil_text`), so every sentence
  keeps its own characters and annotation offsets map back exactly. Units are the lines.

Metrics (all micro-averaged; each returns precision, recall and F1):

- :func:`sentence_prf`: F1 of the positive class (BABE: Biased; BASIL: a sentence holding at
  least one lexical-bias span).
- :func:`word_prf`: BABE's biased-word F1. Per sentence, the set of predicted words and the
  set of gold words, both normalised (:func:`unspin.loaded.normalise_word`: lower case, curly
  apostrophes straightened, punctuation at either end stripped; duplicates collapse). True
  positives are the words in both sets, false positives predicted words not in the gold set,
  false negatives gold words not predicted (a gold word that does not occur in the text still
  counts as missed); counts are summed over all sentences, then F1 is computed once. A
  sentence whose gold list is empty contributes only false positives.
- :func:`basil_token_prf`: BASIL's token-level lexical-bias F1. Tokens are the whitespace
  separated tokens of every body sentence; a token is gold-positive when a gold ``lex`` span
  overlaps any of its characters, predicted-positive when a predicted span does; counted over
  all body sentences of the split. Titles are not scored (BASIL's annotators marked one title
  in 240 articles), though they are encoded as context.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.encoder import Unit
from unspin.errors import InputError
from unspin.loaded import normalise_word, words_of

BIASED, NON_BIASED = "Biased", "Non-biased"


# --- BABE ----------------------------------------------------------------------------------------


@dataclass
class BabeSentence:
    """One BABE sentence; ``biased`` is None when the split has no label for it."""

    id: str
    text: str
    outlet: str = ""
    topic: str = ""
    leaning: str = ""
    biased: bool | None = None
    opinion: str = ""
    biased_words: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        """The unit that stays together in folds and the lockbox. BABE is split by source
        article, but ``sentences.tsv`` names no article; outlet and topic together hold every
        sentence of an article (and more), so grouping by them is the safe side."""
        return f"{self.outlet}|{self.topic}"


def read_babe(split_dir: str | Path) -> list[BabeSentence]:
    """Read ``split_dir/sentences.tsv`` (tab-separated, CSV quoting, with a header; only
    ``id`` is required, so a predictions file reads back too)."""
    path = Path(split_dir) / "sentences.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = {"id"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: no column {sorted(missing)} in the header")
        for number, row in enumerate(reader, start=2):
            label = (row.get("label_bias") or "").strip()
            if label not in ("", BIASED, NON_BIASED, "No agreement"):
                raise ValueError(f"{path}:{number}: label_bias {label!r} is not "
                                 f"{BIASED} or {NON_BIASED}")
            raw = (row.get("biased_words") or "").strip()
            try:
                words = json.loads(raw) if raw else []
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: biased_words is not a JSON list: "
                                 f"{err}") from None
            if not isinstance(words, list):
                raise ValueError(f"{path}:{number}: biased_words is not a JSON list")
            out.append(BabeSentence(
                id=row["id"], text=row.get("text") or "", outlet=row.get("outlet") or "",
                topic=row.get("topic") or "", leaning=row.get("type") or "",
                biased=None if label in ("", "No agreement") else label == BIASED,
                opinion=row.get("label_opinion") or "",
                biased_words=[str(w) for w in words]))
    return out


def match_words(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence in ``text`` of each of ``words``, matched case-insensitively as a whole
    word (not preceded or followed by a letter, digit or underscore), sorted and merged. A
    gold word is normalised first (:func:`unspin.loaded.normalise_word`), and a straight
    apostrophe in it also matches a curly one."""
    spans = set()
    for raw in words:
        w = normalise_word(str(raw))
        if not w:
            continue
        pattern = re.escape(w).replace("'", "['’]")
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, flags=re.IGNORECASE):
            spans.add((m.start(), m.end()))
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def word_labels(words: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each word overlaps one of the gold character spans: [n] bool."""
    out = np.zeros(len(words), dtype=bool)
    for i, (s, e) in enumerate(words):
        out[i] = any(gs < e and s < ge for gs, ge in gold)
    return out


def write_babe(directory: str | Path, rows: Iterable[tuple[str, bool, Sequence[str]]]) -> Path:
    """Write ``directory/sentences.tsv``: ``id``, ``label_bias`` (Biased / Non-biased) and
    ``biased_words`` (a JSON list) for each ``(id, biased, words)``; returns the path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sentences.tsv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "label_bias", "biased_words"])
        for sid, biased, words in rows:
            writer.writerow([sid, BIASED if biased else NON_BIASED,
                             json.dumps(list(words), ensure_ascii=False)])
    return path


# --- BASIL ---------------------------------------------------------------------------------------


@dataclass
class BasilSpan:
    """A gold phrase annotation, with offsets in the article text and in its sentence."""

    sentence: int          # index into BasilArticle.sentences
    start: int             # in the article text
    end: int
    text: str
    bias: str              # "lex" or "inf"
    quote: bool = False
    speaker: str = ""


@dataclass
class BasilArticle:
    """One BASIL article laid out as one text (:func:`basil_text`). ``sentences[0]`` is the
    title (id "title"); ``sentences[k]`` for k >= 1 is body sentence "p<k-1>"."""

    key: str               # "<year>/<event>_<n>"
    triplet: str
    source: str
    text: str
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]   # line spans: the title, then each paragraph
    spans: list[BasilSpan] | None = None  # None: the split has no annotation for it

    @property
    def ids(self) -> list[str]:
        return ["title"] + [f"p{k}" for k in range(len(self.sentences) - 1)]

    @property
    def units(self) -> list[Unit]:
        return [Unit(s, e) for s, e in self.paragraphs if e > s]

    def lex(self) -> list[BasilSpan]:
        return [s for s in self.spans or [] if s.bias == "lex"]


def basil_text(title: str, paragraphs: Sequence[Sequence[str]]
               ) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """(text, sentence spans, line spans): the title on the first line, one line per
    paragraph, a paragraph's sentences joined by single spaces. Line breaks inside a title or
    sentence become spaces (same length, so offsets are kept)."""
    def flat(s: str) -> str:
        return re.sub(r"[\r\n]", " ", s)

    parts, sentences, lines = [flat(title)], [(0, len(title))], [(0, len(title))]
    pos = len(title)
    for para in paragraphs:
        parts.append("\n")
        pos += 1
        line_start = pos
        for k, sent in enumerate(para):
            if k:
                parts.append(" ")
                pos += 1
            parts.append(flat(sent))
            sentences.append((pos, pos + len(sent)))
            pos += len(sent)
        lines.append((line_start, pos))
    return "".join(parts), sentences, lines


def _sentence_index(raw_id: str, n_body: int, where: str) -> int:
    if raw_id == "title":
        return 0
    m = re.fullmatch(r"p(\d+)", raw_id)
    if not m:
        raise ValueError(f"{where}: annotation id {raw_id!r} is not p<N> or title")
    k = int(m.group(1))
    if k >= n_body:
        raise ValueError(f"{where}: annotation {raw_id} but the article has {n_body} sentences")
    return k + 1


def read_basil(split_dir: str | Path) -> list[BasilArticle]:
    """Every article of a BASIL split with its gold phrase annotations (``spans`` is None when
    the split has no annotation file for it), in key order. Raises ValueError when an
    annotation's ``txt`` is not the sentence's text at its offsets."""
    split_dir = Path(split_dir)
    folder = split_dir / "articles"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} does not exist")
    out = []
    for path in sorted(folder.glob("*/*.json")):
        key = f"{path.parent.name}/{path.stem}"
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [[str(s) for s in p] for p in data.get("body-paragraphs", [])]
        text, sentences, lines = basil_text(str(data.get("title") or ""), paragraphs)
        art = BasilArticle(key, str(data.get("triplet-uuid") or key), str(data.get("source", "")),
                           text, sentences, lines)
        ann_path = split_dir / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        if ann_path.is_file():
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            art.spans = []
            for a in ann.get("phrase-level-annotations", []):
                k = _sentence_index(str(a["id"]), len(sentences) - 1, str(ann_path))
                s0 = sentences[k][0]
                start, end = s0 + int(a["start"]), s0 + int(a["end"])
                if not sentences[k][0] <= start <= end <= sentences[k][1]:
                    raise ValueError(f"{ann_path}: span {a['id']} {a['start']}:{a['end']} "
                                     "falls outside its sentence")
                if "txt" in a and text[start:end] != re.sub(r"[\r\n]", " ", str(a["txt"])):
                    raise ValueError(f"{ann_path}: span {a['id']} {a['start']}:{a['end']} "
                                     f"reads {text[start:end]!r}, not {a['txt']!r}")
                art.spans.append(BasilSpan(k, start, end, text[start:end], str(a.get("bias")),
                                           str(a.get("quote", "")).lower() == "yes",
                                           str(a.get("speaker", ""))))
        out.append(art)
    return out


def write_basil(directory: str | Path, article: BasilArticle,
                spans: Iterable[tuple[int, int, int]]) -> Path:
    """Write ``directory/annotations/<year>/<event>_<n>_ann.json`` with one ``lex``
    phrase-level annotation per predicted ``(sentence index, start, end)`` (offsets in the
    article text; written relative to the sentence, as BASIL does). Returns the path."""
    year, name = article.key.split("/", 1)
    path = Path(directory) / "annotations" / year / f"{name}_ann.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = article.ids
    entries = []
    for k, start, end in sorted(spans):
        s0 = article.sentences[k][0]
        entries.append({"id": ids[k], "start": start - s0, "end": end - s0,
                        "txt": article.text[start:end], "bias": "lex"})
    path.write_text(json.dumps({"phrase-level-annotations": entries}, ensure_ascii=False,
                               indent=1) + "\n", encoding="utf-8")
    return path


# --- metrics -------------------------------------------------------------------------------------


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def sentence_counts(pred: Sequence[bool], gold: Sequence[bool]) -> np.ndarray:
    """[n, 3] per-sentence (tp, fp, fn) of the positive class."""
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predictions for {len(gold)} sentences")
    p = np.asarray(pred, dtype=bool)
    g = np.asarray(gold, dtype=bool)
    return np.stack([p & g, p & ~g, ~p & g], axis=1).astype(np.int64)


def sentence_prf(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class."""
    return _prf(*sentence_counts(pred, gold).sum(axis=0))


def word_counts(pred: Sequence[Iterable[str]], gold: Sequence[Iterable[str]]) -> np.ndarray:
    """[n, 3] per-sentence (tp, fp, fn) of the biased-word sets (see the module docstring)."""
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predictions for {len(gold)} sentences")
    out = np.zeros((len(pred), 3), dtype=np.int64)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        ps = {w for w in map(normalise_word, p) if w}
        gs = {w for w in map(normalise_word, g) if w}
        out[i] = (len(ps & gs), len(ps - gs), len(gs - ps))
    return out


def word_prf(pred: Sequence[Iterable[str]], gold: Sequence[Iterable[str]]) -> dict[str, float]:
    """BABE's biased-word precision, recall and F1, micro over sentences."""
    return _prf(*word_counts(pred, gold).sum(axis=0))


def basil_token_counts(article: BasilArticle, pred: Iterable[tuple[int, int]]) -> np.ndarray:
    """[3] (tp, fp, fn) over the whitespace tokens of the article's body sentences; ``pred``
    are predicted spans in article offsets."""
    pred = list(pred)
    gold = [(s.start, s.end) for s in article.lex()]
    tp = fp = fn = 0
    for s, e in article.sentences[1:]:
        for m in re.finditer(r"\S+", article.text[s:e]):
            a, b = s + m.start(), s + m.end()
            g = any(x < b and a < y for x, y in gold)
            p = any(x < b and a < y for x, y in pred)
            tp += g and p
            fp += p and not g
            fn += g and not p
    return np.array([tp, fp, fn], dtype=np.int64)


def basil_sentence_flags(article: BasilArticle, spans: Iterable[tuple[int, int, int]]
                         ) -> list[bool]:
    """Per body sentence, whether one of ``(sentence index, start, end)`` lies in it."""
    hit = {k for k, _, _ in spans}
    return [k in hit for k in range(1, len(article.sentences))]


def bootstrap_f1(counts: np.ndarray, groups: Sequence[str] | None = None, n: int = 1000,
                 seed: int = 13) -> list[float]:
    """95% interval of the micro-F1 of per-item (tp, fp, fn) ``counts`` [n, 3], resampling
    items, or whole groups of items (a cluster bootstrap) when ``groups`` is given."""
    counts = np.asarray(counts, dtype=np.float64).reshape(-1, 3)
    if len(counts) == 0:
        return [0.0, 0.0]
    if groups is None:
        keys = np.arange(len(counts))
    else:
        _, keys = np.unique(np.asarray(groups), return_inverse=True)
    per_group = np.zeros((keys.max() + 1, 3))
    np.add.at(per_group, keys, counts)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(per_group), size=(n, len(per_group)))
    totals = per_group[draws].sum(axis=1)
    tp, fp, fn = totals[:, 0], totals[:, 1], totals[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def scored(counts: np.ndarray, groups: Sequence[str] | None = None, n: int = 1000
           ) -> dict[str, float | list[float]]:
    """Precision, recall, F1 and its bootstrap 95% interval from per-item counts [n, 3]."""
    counts = np.asarray(counts).reshape(-1, 3)
    out: dict = {k: round(v, 4) for k, v in _prf(*counts.sum(axis=0)).items()}
    out["f1_ci95"] = bootstrap_f1(counts, groups, n)
    return out


# --- baselines -----------------------------------------------------------------------------------


def word_list(items: Iterable[tuple[str, Sequence[tuple[int, int]], Sequence[bool]]],
              min_marked: int = 2, min_share: float = 0.3) -> list[str]:
    """The word-list baseline: normalised words marked loaded at least ``min_marked`` times
    and in at least ``min_share`` of their occurrences in ``(text, words, labels)``."""
    from collections import Counter

    marked, total = Counter(), Counter()
    for text, words, labels in items:
        for (s, e), y in zip(words, labels, strict=True):
            w = normalise_word(text[s:e])
            total[w] += 1
            marked[w] += bool(y)
    return sorted(w for w, m in marked.items()
                  if w and m >= min_marked and m / total[w] >= min_share)


def word_list_words(text: str, listed: set[str]) -> list[str]:
    """The distinct words of ``text`` that are in ``listed``, in text order."""
    out: list[str] = []
    for s, e in words_of(text):
        w = normalise_word(text[s:e])
        if w in listed and w not in out:
            out.append(w)
    return out


# --- scoring the model on a split ----------------------------------------------------------------


def _encoder(encoder):
    if encoder is not None:
        return encoder
    from unspin.techniques import load_encoder

    return load_encoder()


def evaluate_babe(split_dir: str | Path, predictions_dir: str | Path | None = None, *,
                  model=None, encoder=None) -> dict:
    """Sentence bias F1 (Biased is the positive class; sentences without a Biased /
    Non-biased label are predicted but not scored) and biased-word F1 (:func:`word_prf`) of
    ``model`` (default: the shipped :class:`~unspin.loaded.LoadedModel`) on a BABE split, with
    bootstrap 95% intervals resampling outlet-topic groups (:attr:`BabeSentence.group`; the
    split names no article), beside two baselines: the word list counted from
    BABE's training sentences (shipped in the model's config) and calling every sentence
    biased. With ``predictions_dir``, writes ``sentences.tsv`` (``id``, ``label_bias``,
    ``biased_words``)."""
    from unspin.loaded import LoadedModel

    split_dir = Path(split_dir)
    try:
        rows = read_babe(split_dir)
    except (FileNotFoundError, ValueError) as err:
        raise InputError(str(err)) from None
    if not rows:
        raise InputError(f"no sentences in {split_dir / 'sentences.tsv'}")
    model = model or LoadedModel.load()
    encoder = _encoder(encoder)
    print(f"encoding {len(rows)} sentences...", file=sys.stderr)
    pred_biased, pred_words = [], []
    babe = model.config.get("babe", {})
    w_threshold = float(babe.get("threshold", model.threshold))
    w_low = float(babe.get("low", w_threshold))
    s_threshold = float(babe.get("sentence_threshold", model.sentence_threshold))
    for row in rows:
        spans, score = predict_babe_sentence(model, encoder, row.text, w_threshold, w_low)
        pred_biased.append(score >= s_threshold)
        pred_words.append(_distinct([normalise_word(t) for s in spans
                                     for t in (row.text[a:b] for a, b in
                                               words_of(row.text, s.start, s.end))]))
    groups = [r.group for r in rows]
    scores: dict = {"benchmark": "babe", "split": str(split_dir), "sentences": len(rows),
                    "word_threshold": w_threshold, "sentence_threshold": s_threshold}
    labelled = [i for i, r in enumerate(rows) if r.biased is not None]
    if labelled:
        gold = [bool(rows[i].biased) for i in labelled]
        lgroups = [groups[i] for i in labelled]
        scores["sentence_bias"] = scored(sentence_counts([pred_biased[i] for i in labelled],
                                                         gold), lgroups)
        scores["baseline_all_biased"] = scored(sentence_counts([True] * len(gold), gold),
                                               lgroups)
    gold_words = [r.biased_words for r in rows]
    scores["biased_words"] = scored(word_counts(pred_words, gold_words), groups)
    listed = set(model.config.get("baseline_word_list", []))
    if listed:
        base_words = [word_list_words(r.text, listed) for r in rows]
        scores["baseline_word_list"] = {"biased_words": scored(word_counts(base_words,
                                                                           gold_words), groups)}
        if labelled:
            scores["baseline_word_list"]["sentence_bias"] = scored(sentence_counts(
                [bool(base_words[i]) for i in labelled], gold), lgroups)
    if predictions_dir is not None:
        write_babe(predictions_dir, [(r.id, b, w) for r, b, w in
                                     zip(rows, pred_biased, pred_words, strict=True)])
    return scores


def _distinct(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x and x not in out:
            out.append(x)
    return out


def predict_babe_sentence(model, encoder, text: str, threshold: float, low: float):
    """Spans and the sentence score of one standalone sentence (its own one-unit text)."""
    from unspin.heads import sigmoid
    from unspin.loaded import decode_spans

    stripped = text.strip()
    if not stripped:
        return [], 0.0
    start = text.index(stripped[0])
    sentence = [(start, start + len(stripped))]
    encoded = encoder.encode(text, [Unit(*sentence[0])])
    words, logits = model.word_logits(text, encoded, sentence)
    spans = decode_spans(text, words[0], sigmoid(logits[0]), 0, threshold, low, model.max_words)
    score = model.sentence_scores(text, encoded, sentence, word_logits=logits)[0]
    return spans, score


def evaluate_basil(split_dir: str | Path, predictions_dir: str | Path | None = None, *,
                   model=None, encoder=None) -> dict:
    """Token-level and sentence-level F1 of lexical bias (:func:`basil_token_counts`,
    :func:`basil_sentence_flags`) of ``model`` (default: the shipped
    :class:`~unspin.loaded.LoadedModel`) on a BASIL split, with bootstrap 95% intervals over
    events (the three articles of a ``triplet-uuid`` resampled together). Each article is
    encoded once (title and paragraphs as units) and its spans decoded within BASIL's own
    sentences. With ``predictions_dir``, writes ``annotations/<year>/<event>_<n>_ann.json``."""
    from unspin.loaded import LoadedModel

    split_dir = Path(split_dir)
    try:
        articles = read_basil(split_dir)
    except (FileNotFoundError, ValueError, KeyError) as err:
        raise InputError(str(err)) from None
    if not articles:
        raise InputError(f"no articles in {split_dir / 'articles'}")
    model = model or LoadedModel.load()
    encoder = _encoder(encoder)
    print(f"encoding {len(articles)} articles...", file=sys.stderr)
    basil = model.config.get("basil", {})
    threshold = float(basil.get("threshold", model.threshold))
    low = float(basil.get("low", threshold))
    predicted = []
    for art in articles:
        units = art.units
        if not units:
            predicted.append([])
            continue
        encoded = encoder.encode(art.text, units)
        spans = model.spans(art.text, encoded, art.sentences[1:], threshold=threshold, low=low)
        predicted.append([(s.sentence + 1, s.start, s.end) for s in spans])
    scores: dict = {"benchmark": "basil", "split": str(split_dir), "articles": len(articles),
                    "threshold": threshold,
                    "predicted_spans": int(sum(len(p) for p in predicted))}
    scores.update(score_basil(articles, predicted))
    if predictions_dir is not None:
        for art, spans in zip(articles, predicted, strict=True):
            write_basil(predictions_dir, art, spans)
    return scores


def score_basil(articles: Sequence[BasilArticle], predicted: Sequence[Sequence[tuple]],
                n_boot: int = 1000) -> dict:
    """Token and sentence F1 (with event-level bootstrap intervals) of predicted
    ``(sentence index, start, end)`` spans per article, over the annotated articles, beside
    the "every sentence has loaded wording" baseline."""
    tok, sent, sent_all, groups_t, groups_s = [], [], [], [], []
    for art, spans in zip(articles, predicted, strict=True):
        if art.spans is None:
            continue
        tok.append(basil_token_counts(art, [(s, e) for _, s, e in spans]))
        groups_t.append(art.triplet)
        gold = basil_sentence_flags(art, [(s.sentence, 0, 0) for s in art.lex()])
        flags = basil_sentence_flags(art, spans)
        sent.append(sentence_counts(flags, gold))
        sent_all.append(sentence_counts([True] * len(gold), gold))
        groups_s.extend([art.triplet] * len(gold))
    if not tok:
        return {}
    return {"token": scored(np.stack(tok), groups_t, n_boot),
            "sentence": scored(np.concatenate(sent), groups_s, n_boot),
            "baseline_all_sentences": scored(np.concatenate(sent_all), groups_s, n_boot),
            "annotated_articles": len(tok)}
