"""``unspin train loaded``: the loaded-wording head (:mod:`unspin.loaded`) on the shared encoder.

One command, fixed seed, about ten minutes on two CPU cores (four more the first time, to
encode):

1. **Encoding, cached.** The shipped int8 encoder reads every BABE ``train`` sentence (each its
   own one-unit text), every BASIL ``train`` article (title and paragraphs as units, BASIL's
   own sentences) and, to measure whether they help, the PTC ``train`` articles (lines as
   units; Loaded_Language and Name_Calling,Labeling spans as positives). Word features (mean
   hidden state of each word's pieces), pooled sentence states and word-piece ids go to
   ``runs/loaded-cache/``, keyed by the encoder's sha256, so reruns skip the encoder.
2. **Lockbox.** Groups whose sha256 is 0 modulo 5 are set aside and touched once, at the end.
   BABE's group is outlet and topic (``sentences.tsv`` is split by source article but names
   none; outlet and topic hold all of an article's sentences, and more); BASIL's is the
   event (``triplet-uuid``), so the three outlets' articles of an event stay together.
3. **5-fold cross-validation** (scikit-learn GroupKFold over the same groups) on the rest
   chooses every knob:

   - the word head, a logistic regression on [hidden state, word prior, capitalised
     mid-sentence]: its regularisation C, the weight of BASIL's words against BABE's, and
     whether PTC's loud-register spans help (weight 0 or 0.1), by BABE biased-word F1 plus
     BASIL token F1 on the out-of-fold words. The word prior of a training word is
     cross-fitted (counted on the other training folds), the prior of a held-out word counts
     all training folds, so no word's own label feeds its prior;
   - the word thresholds (BABE: best biased-word F1; BASIL: best token F1, with the
     neighbour threshold ``low`` for phrases), the sentence threshold;
   - the sentence head: C of the pooled-state and of the n-gram regressions (out-of-fold F1
     of each alone), and the stacking weights over [pool logit, n-gram logit, word-logit
     aggregates], fitted in a *nested* CV: for held-out fold k every first-level score the
     stacker learns from is out-of-fold within the other folds;
   - the word-list baseline's minimum share (words marked at least twice and in at least
     that share of their occurrences).

4. **Lockbox, once**: everything refitted on the five folds, scored on the lockbox with the
   knobs above. Both the CV and the lockbox figures carry 95% bootstrap intervals resampling
   groups (BABE outlet-topics, BASIL events), and sit beside the baselines (word list counted
   on the training part; every sentence biased).
5. **Ship**: the word head and the first-level sentence regressions refitted on all the data
   (folds and lockbox) with the chosen knobs; the stacking weights are those fitted on the
   folds' out-of-fold scores. ``loaded.npz`` + ``loaded_config.json`` get a manifest entry
   with the data, command, seed, encoder hash and the scores; ``runs/loaded-cache/
   loaded-cv.json`` holds every number.

scikit-learn and scipy are used here only (training time); inference is numpy.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.encoder import Unit
from unspin.evaluate.loaded_eval import (
    match_words,
    read_babe,
    read_basil,
    word_labels,
)
from unspin.loaded import sentence_pool, sentence_words, word_hidden
from unspin.train.split import in_lockbox

log = logging.getLogger("unspin.train")

SEED = 13
FOLDS = 5
CACHE_VERSION = "loaded-v3"
EXTRA_TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling")


# --- encoded corpora -----------------------------------------------------------------------------


@dataclass
class Corpus:
    """One source's encoded training material, flattened.

    Sentences: ``sent_doc`` (index into ``texts``), ``sent_span`` (start, end in the text),
    ``sent_group`` (the lockbox/fold group), ``sent_label`` (BABE: biased; BASIL: holds a lex
    span; -1 unknown), ``sent_pool`` [S, 2*dim]. Words: ``word_sent`` (index of their
    sentence), ``word_span``, ``word_label`` (inside a gold loaded span), ``word_hidden``
    [N, dim] float16, ``word_cue`` [N, 3] (:func:`unspin.phrase_cues.phrase_cues`);
    ``sent_ids``: the word-piece ids of all sentences, concatenated, with ``sent_n_ids`` per
    sentence. ``gold_words`` (BABE) are the experts' words of each sentence; ``doc_gold`` the
    gold loaded spans of each text."""

    name: str
    texts: list[str]
    sent_doc: np.ndarray
    sent_span: np.ndarray
    sent_group: np.ndarray
    sent_label: np.ndarray
    sent_pool: np.ndarray
    word_sent: np.ndarray
    word_span: np.ndarray
    word_label: np.ndarray
    word_hidden: np.ndarray
    word_cue: np.ndarray
    sent_ids: np.ndarray
    sent_n_ids: np.ndarray
    gold_words: list[list[str]] = field(default_factory=list)
    doc_gold: list[list[tuple[int, int]]] = field(default_factory=list)

    @property
    def n_sent(self) -> int:
        return len(self.sent_doc)

    def ids(self) -> list[np.ndarray]:
        """The word-piece ids of each sentence."""
        ends = np.cumsum(self.sent_n_ids)
        return [self.sent_ids[e - n:e] for e, n in zip(ends, self.sent_n_ids, strict=True)]

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in ARRAYS}


ARRAYS = ("sent_doc", "sent_span", "sent_group", "sent_label", "sent_pool", "word_sent",
          "word_span", "word_label", "word_hidden", "word_cue", "sent_ids", "sent_n_ids")


def _build(name: str, texts, docs_sentences, docs_groups, docs_labels, docs_gold, encode_doc,
           gold_words=None) -> Corpus:
    """Encode every document once and flatten its sentences and words."""
    from unspin.claims import span_token_ids
    from unspin.phrase_cues import N_CUES, phrase_cues

    cue_head = shipped_cue_head()

    cols: dict[str, list] = {k: [] for k in ARRAYS}
    started = time.time()
    for d, text in enumerate(texts):
        sentences = docs_sentences[d]
        if not sentences:
            continue
        encoded = encode_doc(d)
        words = sentence_words(text, sentences)
        flat = [w for ws in words for w in ws]
        pool = (sentence_pool(encoded, sentences) if encoded.hidden
                else np.zeros((len(sentences), 768), np.float32))
        hidden = (word_hidden(encoded, flat) if encoded.hidden and flat
                  else np.zeros((len(flat), 384), np.float32))
        labels = word_labels(flat, docs_gold[d])
        cues = (phrase_cues(text, encoded, words, cue_head) if encoded.hidden
                else np.zeros((len(flat), N_CUES), np.float32))
        ids = (span_token_ids(encoded, sentences) if encoded.hidden
               else [np.zeros(0, np.int64)] * len(sentences))
        cols["sent_ids"].extend(ids)
        cols["sent_n_ids"].extend(len(x) for x in ids)
        base = len(cols["sent_doc"])
        for k, (s, e) in enumerate(sentences):
            cols["sent_doc"].append(d)
            cols["sent_span"].append((s, e))
            cols["sent_group"].append(docs_groups[d])
            cols["sent_label"].append(docs_labels[d][k])
            cols["word_sent"].extend([base + k] * len(words[k]))
        cols["sent_pool"].append(pool.astype(np.float16))
        cols["word_span"].extend(flat)
        cols["word_label"].extend(labels.tolist())
        cols["word_hidden"].append(hidden.astype(np.float16))
        cols["word_cue"].append(cues.astype(np.float32))
        if d % 200 == 0:
            log.info("%s: %d/%d encoded (%.0fs)", name, d, len(texts), time.time() - started)
    return Corpus(
        name, list(texts),
        np.asarray(cols["sent_doc"], np.int64), np.asarray(cols["sent_span"], np.int64),
        np.asarray(cols["sent_group"], dtype=str), np.asarray(cols["sent_label"], np.int64),
        np.concatenate(cols["sent_pool"]), np.asarray(cols["word_sent"], np.int64),
        np.asarray(cols["word_span"], np.int64).reshape(-1, 2),
        np.asarray(cols["word_label"], bool), np.concatenate(cols["word_hidden"]),
        np.concatenate(cols["word_cue"]),
        np.concatenate(cols["sent_ids"]).astype(np.int32),
        np.asarray(cols["sent_n_ids"], np.int64),
        gold_words=gold_words or [], doc_gold=list(docs_gold))


def shipped_cue_head():
    """The shipped technique model's span and token heads as a
    :class:`~unspin.phrase_cues.CueHead`."""
    from unspin.phrase_cues import CueHead
    from unspin.techniques import TechniqueModel

    model = TechniqueModel.load()
    return CueHead.from_technique_heads(model.heads.w, model.labels)


def encode_babe(encoder, split_dir: Path) -> Corpus:
    """Every BABE sentence as its own one-unit text (stripped of surrounding spaces)."""
    rows = read_babe(split_dir)
    texts, sents, groups, labels, gold = [], [], [], [], []
    for r in rows:
        stripped = r.text.strip()
        start = r.text.index(stripped[0]) if stripped else 0
        texts.append(r.text)
        sents.append([(start, start + len(stripped))] if stripped else [])
        groups.append(r.group)
        labels.append([-1 if r.biased is None else int(r.biased)])
        gold.append(match_words(r.text, r.biased_words))

    def encode_doc(d):
        return encoder.encode(texts[d], [Unit(*sents[d][0])])

    return _build("babe", texts, sents, groups, labels, gold, encode_doc,
                  gold_words=[r.biased_words for r in rows if r.text.strip()])


def encode_basil(encoder, split_dir: Path) -> Corpus:
    """Every BASIL article once (title and paragraphs as units); its body sentences are the
    sentences (the title is context only)."""
    articles = read_basil(split_dir)
    texts = [a.text for a in articles]
    sents = [a.sentences[1:] for a in articles]
    groups = [a.triplet for a in articles]
    labels, gold = [], []
    for a in articles:
        lex = a.lex()
        hit = {s.sentence for s in lex}
        labels.append([int(k in hit) for k in range(1, len(a.sentences))])
        gold.append([(s.start, s.end) for s in lex])

    def encode_doc(d):
        return encoder.encode(texts[d], articles[d].units)

    return _build("basil", texts, sents, groups, labels, gold, encode_doc)


def encode_ptc(encoder, split_dir: Path) -> Corpus:
    """PTC training articles (lines as units and as "sentences"): words inside a
    Loaded_Language or Name_Calling,Labeling span are positive."""
    from unspin.evaluate.datasets import read_ptc
    from unspin.evaluate.techniques import line_units

    articles = read_ptc(split_dir)
    texts, sents, groups, labels, gold, units = [], [], [], [], [], []
    for a in articles:
        us = [u for _, u in line_units(a.text)]
        texts.append(a.text)
        units.append(us)
        sents.append([(u.start, u.end) for u in us])
        groups.append(f"ptc:{a.id}")
        labels.append([-1] * len(us))
        gold.append([(s.start, s.end) for s in a.spans if s.technique in EXTRA_TECHNIQUES])

    def encode_doc(d):
        return encoder.encode(texts[d], units[d])

    return _build("ptc", texts, sents, groups, labels, gold, encode_doc)


ENCODERS = {"babe": (encode_babe, "babe/train"), "basil": (encode_basil, "basil/train"),
            "ptc": (encode_ptc, "ptc/train")}


def cache_key() -> str:
    """What the cached encodings depend on: the shipped encoder's sha256 (16 hex digits) and
    the technique heads' (8; the phrase cues read them)."""
    from unspin.models import MODELS_DIR, model_file, sha256_of

    return (sha256_of(model_file("techniques", "techniques.onnx", MODELS_DIR))[:16]
            + sha256_of(model_file("techniques", "techniques_heads.npz", MODELS_DIR))[:8])


def load_corpus(name: str, data_dir: Path, cache_dir: Path, key: str, encoder_fn) -> Corpus:
    """The encoded corpus ``name`` from the cache (keyed by ``key``, :func:`cache_key`, and
    :data:`CACHE_VERSION`), encoding it first when it is not there. ``encoder_fn()`` returns
    the encoder (loaded only when needed)."""
    build, sub = ENCODERS[name]
    path = Path(cache_dir) / f"{name}-{key}-{CACHE_VERSION}.npz"
    if path.exists():
        with np.load(path) as arrays:
            meta = json.loads(str(arrays["meta"]))
            corpus = Corpus(name, meta["texts"], *(arrays[k] for k in ARRAYS),
                gold_words=meta["gold_words"], doc_gold=[[tuple(x) for x in g]
                                                         for g in meta["doc_gold"]])
        log.info("%s read from %s", name, path)
        return corpus
    started = time.time()
    corpus = build(encoder_fn(), Path(data_dir) / sub)
    log.info("%s: %d sentences, %d words encoded in %.0fs", name, corpus.n_sent,
             len(corpus.word_label), time.time() - started)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"texts": corpus.texts, "gold_words": corpus.gold_words,
            "doc_gold": [list(map(list, g)) for g in corpus.doc_gold]}
    np.savez(path, meta=np.asarray(json.dumps(meta)), **corpus.arrays())
    return corpus


# --- material: corpora with vocabulary keys, parts and evaluation helpers -----------------------


LOCKBOX_PART = FOLDS
"""The part number of lockbox sentences (folds are 0 .. FOLDS - 1)."""


def assign_parts(groups: np.ndarray) -> np.ndarray:
    """Per item: its fold (0 .. FOLDS-1, by scikit-learn's GroupKFold over the groups outside
    the lockbox, so no group is in two folds) or :data:`LOCKBOX_PART`."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray(groups)
    parts = np.full(len(groups), LOCKBOX_PART, dtype=np.int64)
    # groups: BABE outlet and topic, BASIL the event's triplet-uuid
    in_box = np.array([in_lockbox(str(g)) for g in groups], dtype=bool)
    idx = np.flatnonzero(~in_box)
    for k, (_, test) in enumerate(GroupKFold(FOLDS).split(idx, groups=groups[idx])):
        parts[idx[test]] = k
    return parts


class Material:
    """The corpora with what every fit needs: per word its vocabulary key and whether it is
    capitalised mid-sentence, per sentence its part (fold or lockbox; PTC: -1, always
    training), and the helpers of the BABE and BASIL metrics."""

    def __init__(self, corpora: dict[str, Corpus]):
        from unspin.loaded import is_capitalised_mid_sentence, normalise_word

        self.corpora = corpora
        vocab: dict[str, int] = {}
        self.keys, self.caps, self.norm = {}, {}, {}
        for name, c in corpora.items():
            keys = np.zeros(len(c.word_label), np.int64)
            caps = np.zeros(len(c.word_label), bool)
            norm = []
            for i, (s, e) in enumerate(c.word_span):
                text = c.texts[c.sent_doc[c.word_sent[i]]]
                w = normalise_word(text[s:e])
                norm.append(w)
                keys[i] = vocab.setdefault(w, len(vocab))
                caps[i] = is_capitalised_mid_sentence(text, int(s))
            self.keys[name], self.caps[name], self.norm[name] = keys, caps, norm
        self.vocab = list(vocab)
        self.sent_part = {name: (assign_parts(c.sent_group) if name != "ptc"
                                 else np.full(c.n_sent, -1, np.int64))
                          for name, c in corpora.items()}
        self.word_part = {name: self.sent_part[name][c.word_sent] for name, c in corpora.items()}
        if "basil" in corpora:
            self._basil_tokens(corpora["basil"])

    def _basil_tokens(self, c: Corpus) -> None:
        """Whitespace tokens of every BASIL body sentence: gold flag, sentence, and the token
        each word lies in."""
        import re

        gold, sent = [], []
        word_tok = np.full(len(c.word_label), -1, np.int64)
        wi = 0
        for k in range(c.n_sent):
            d = c.sent_doc[k]
            text = c.texts[d]
            s0, e0 = c.sent_span[k]
            spans = c.doc_gold[d]
            for m in re.finditer(r"\S+", text[s0:e0]):
                a, b = s0 + m.start(), s0 + m.end()
                tid = len(gold)
                gold.append(any(x < b and a < y for x, y in spans))
                sent.append(k)
                while wi < len(word_tok) and c.word_sent[wi] == k and c.word_span[wi][0] < b:
                    if c.word_span[wi][0] >= a:
                        word_tok[wi] = tid
                    wi += 1
        self.tok_gold = np.asarray(gold, bool)
        self.tok_sent = np.asarray(sent, np.int64)
        self.word_tok = word_tok

    # -- the prior --

    def prior(self, train: dict[str, np.ndarray]) -> np.ndarray:
        """Prior scores over the vocabulary counted on the BABE and BASIL words in ``train``
        (masks per corpus; PTC never counts)."""
        from unspin.loaded import prior_table

        n = len(self.vocab)
        inside, total, capital = np.zeros(n), np.zeros(n), np.zeros(n)
        for name, mask in train.items():
            if name == "ptc":
                continue
            c = self.corpora[name]
            k = self.keys[name][mask]
            total += np.bincount(k, minlength=n)
            inside += np.bincount(k, weights=c.word_label[mask].astype(float), minlength=n)
            capital += np.bincount(k, weights=self.caps[name][mask].astype(float), minlength=n)
        return prior_table(inside, total, capital)

    def prior_feature(self, table: np.ndarray, name: str, mask: np.ndarray) -> np.ndarray:
        return np.where(self.caps[name][mask], 0.0, table[self.keys[name][mask]]).astype(np.float32)

    def features(self, name: str, mask: np.ndarray, prior: np.ndarray, cues: bool
                 ) -> np.ndarray:
        """[n, dim + 2] word features, [n, dim + 5] with the phrase cues (as
        :func:`unspin.loaded.word_features`)."""
        c = self.corpora[name]
        cols = [c.word_hidden[mask].astype(np.float32), prior[:, None],
                self.caps[name][mask][:, None].astype(np.float32)]
        if cues:
            cols.append(c.word_cue[mask].astype(np.float32))
        return np.concatenate(cols, axis=1)


# --- the word model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordSetting:
    """Regularisation of the word logistic regression, the weights of the corpora (BABE words
    weigh 1), and whether the word head reads the phrase cues (:mod:`unspin.phrase_cues`)."""

    C: float
    basil_weight: float = 1.0
    ptc_weight: float = 0.0
    cues: bool = False


WORD_GRID = [WordSetting(0.003, 0.5), WordSetting(0.001, 0.5, cues=True),
             WordSetting(0.003, 0.5, cues=True), WordSetting(0.01, 0.5, cues=True),
             WordSetting(0.003, 1.0, cues=True)]
"""The setting shipped before the phrase cues, and four with them (a wider grid in
development: C 0.001 to 0.01 and BASIL weight 0.3 to 3 changed the criterion by under 0.02)."""
PTC_WEIGHTS: tuple[float, ...] = ()
"""PTC weights to try with the best setting: none since the phrase cues (PTC's
Loaded_Language and Name_Calling spans as extra training words lowered BABE biased-word F1, at
weight 0.1 by 0.013, at 0.3 and 1.0 by 0.02 to 0.05; docs/benchmarks.md)."""


@dataclass
class WordFit:
    w: np.ndarray           # [dim + 2] or [dim + 5], standardisation folded in
    b: float
    prior: np.ndarray       # over Material.vocab
    cues: bool = False

    def logits(self, material: Material, name: str, mask: np.ndarray) -> np.ndarray:
        x = material.features(name, mask, material.prior_feature(self.prior, name, mask),
                              self.cues)
        return (x @ self.w + self.b).astype(np.float32)


def fit_word(material: Material, parts: set[int], setting: WordSetting, seed: int) -> WordFit:
    """The word head trained on the BABE and BASIL sentences of ``parts`` (and all of PTC when
    ``setting.ptc_weight`` > 0). The prior feature of a training word is cross-fitted: counted
    on the training parts other than its own, so the regression learns how much an unseen
    sentence's prior is worth; the prior shipped for prediction counts all training parts."""
    from sklearn.linear_model import LogisticRegression

    names = [n for n in ("babe", "basil") if n in material.corpora]
    train = {n: np.isin(material.word_part[n], list(parts)) for n in names}
    xs, ys, ws = [], [], []
    for n in names:
        prior = np.zeros(int(train[n].sum()), np.float32)
        part_of = material.word_part[n][train[n]]
        for j in parts:
            others = {m: np.isin(material.word_part[m], list(parts - {j})) for m in names}
            table = material.prior(others)
            sel = part_of == j
            prior[sel] = material.prior_feature(table, n, train[n])[sel]
        xs.append(material.features(n, train[n], prior, setting.cues))
        ys.append(material.corpora[n].word_label[train[n]])
        ws.append(np.full(len(prior), 1.0 if n == "babe" else setting.basil_weight))
    full = material.prior(train)
    if setting.ptc_weight > 0 and "ptc" in material.corpora:
        mask = np.ones(len(material.corpora["ptc"].word_label), bool)
        xs.append(material.features("ptc", mask, material.prior_feature(full, "ptc", mask),
                                    setting.cues))
        ys.append(material.corpora["ptc"].word_label)
        ws.append(np.full(int(mask.sum()), setting.ptc_weight))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    wt = np.concatenate(ws)
    mu = x.mean(axis=0)
    sd = np.maximum(x.std(axis=0), 1e-6)
    x -= mu
    x /= sd
    clf = LogisticRegression(C=setting.C, max_iter=500, random_state=seed)
    clf.fit(x, y, sample_weight=wt)
    w = clf.coef_[0] / sd
    return WordFit(w.astype(np.float32), float(clf.intercept_[0] - (w * mu).sum()), full,
                   setting.cues)


# --- decoding and scoring words ------------------------------------------------------------------

THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)
LOW_RATIOS = (1.0, 0.75, 0.5)
MAX_WORDS = 5


def babe_word_counts(material: Material, probs: np.ndarray, sent_mask: np.ndarray,
                     threshold: float) -> np.ndarray:
    """[n_sent_in_mask, 3] biased-word (tp, fp, fn) with the words at or above ``threshold``
    predicted (decoding with ``low = threshold`` predicts exactly these words)."""
    c = material.corpora["babe"]
    norm = material.norm["babe"]
    pred: dict[int, set] = {}
    for i in np.flatnonzero(probs >= threshold):
        if norm[i]:
            pred.setdefault(int(c.word_sent[i]), set()).add(norm[i])
    from unspin.loaded import normalise_word

    out = []
    for k in np.flatnonzero(sent_mask):
        p = pred.get(int(k), set())
        g = {w for w in map(normalise_word, c.gold_words[k]) if w}
        out.append((len(p & g), len(p - g), len(g - p)))
    return np.asarray(out, np.int64).reshape(-1, 3)


def basil_spans(material: Material, probs: np.ndarray, sent_mask: np.ndarray,
                threshold: float, low: float) -> dict[int, list[tuple[int, int, int]]]:
    """Decoded spans of the BASIL sentences in ``sent_mask``: {doc: [(sentence, start, end)]}
    (sentence: index into the corpus's sentences)."""
    from unspin.loaded import decode_spans

    c = material.corpora["basil"]
    out: dict[int, list] = {}
    hot = np.unique(c.word_sent[probs >= threshold])
    for k in hot:
        if not sent_mask[k]:
            continue
        sel = np.flatnonzero(c.word_sent == k)
        d = int(c.sent_doc[k])
        words = [tuple(map(int, x)) for x in c.word_span[sel]]
        for s in decode_spans(c.texts[d], words, probs[sel], int(k), threshold, low, MAX_WORDS):
            out.setdefault(d, []).append((int(k), s.start, s.end))
    return out


def basil_token_flags(material: Material, probs: np.ndarray, threshold: float
                      ) -> np.ndarray:
    """Predicted-positive flag of every BASIL token when the words at or above ``threshold``
    are predicted (``low = threshold``)."""
    flags = np.zeros(len(material.tok_gold), bool)
    flags[material.word_tok[(probs >= threshold) & (material.word_tok >= 0)]] = True
    return flags


def basil_counts(material: Material, spans: dict[int, list], sent_mask: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Token (tp, fp, fn) per article and sentence (tp, fp, fn) per sentence of the BASIL
    sentences in ``sent_mask``, with the group (event) of each row, from decoded spans."""
    from unspin.evaluate.loaded_eval import sentence_counts

    c = material.corpora["basil"]
    covered = np.zeros(len(material.tok_gold), bool)
    tok_doc = c.sent_doc[material.tok_sent]
    for d, items in spans.items():
        for k, s, e in items:
            sel = np.flatnonzero(material.tok_sent == k)
            text = c.texts[d]
            s0 = c.sent_span[k][0]
            import re

            for t, m in zip(sel, re.finditer(r"\S+", text[s0:c.sent_span[k][1]]),
                            strict=True):
                a, b = s0 + m.start(), s0 + m.end()
                if a < e and s < b:
                    covered[t] = True
    in_mask = sent_mask[material.tok_sent]
    tok_rows, tok_groups = [], []
    for d in np.unique(tok_doc[in_mask]):
        sel = in_mask & (tok_doc == d)
        g, p = material.tok_gold[sel], covered[sel]
        tok_rows.append((int((g & p).sum()), int((p & ~g).sum()), int((g & ~p).sum())))
        tok_groups.append(str(c.sent_group[c.sent_doc == d][0]))
    hit = {k for items in spans.values() for k, _, _ in items}
    sents = np.flatnonzero(sent_mask)
    pred = [int(k) in hit for k in sents]
    gold = [bool(c.sent_label[k] == 1) for k in sents]
    return (np.asarray(tok_rows, np.int64).reshape(-1, 3), sentence_counts(pred, gold),
            tok_groups, [str(c.sent_group[k]) for k in sents])


# --- the sentence head ---------------------------------------------------------------------------

N_BUCKETS = 1 << 16
POOL_CS = (0.001, 0.003)
NGRAM_CS = (4.0, 16.0)
STACK_C = 1.0


@dataclass
class SentenceData:
    """BABE's sentences as the sentence head sees them."""

    pool: np.ndarray                 # [S, 2 * dim] float32
    ids: list[np.ndarray]
    y: np.ndarray                    # 1 biased, 0 not, -1 no label
    part: np.ndarray
    group: np.ndarray
    counts: list | None = None       # n-gram bucket counts per sentence

    def ngram_counts(self):
        from unspin.claims import ngram_counts

        if self.counts is None:
            self.counts = [ngram_counts(x, N_BUCKETS) for x in self.ids]
        return self.counts


def _tfidf(data: SentenceData, rows: np.ndarray, idf: np.ndarray):
    from scipy import sparse

    counts = data.ngram_counts()
    indptr, indices, values = [0], [], []
    for r in rows:
        idx, n = counts[r]
        val = (1.0 + np.log(n)) * idf[idx]
        norm = float(np.sqrt(np.sum(val * val)))
        indices.append(idx)
        values.append(val / norm if norm > 0 else val)
        indptr.append(indptr[-1] + len(idx))
    return sparse.csr_matrix((np.concatenate(values) if values else np.zeros(0),
                              np.concatenate(indices) if indices else np.zeros(0, np.int64),
                              indptr), shape=(len(rows), N_BUCKETS))


def fit_pool(data: SentenceData, rows: np.ndarray, C: float, seed: int
             ) -> tuple[np.ndarray, float]:
    """Logistic regression on the pooled states of ``rows``; (w, b) with the standardisation
    folded in."""
    from sklearn.linear_model import LogisticRegression

    x = data.pool[rows].astype(np.float64)
    mu, sd = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-6)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit((x - mu) / sd, data.y[rows])
    w = clf.coef_[0] / sd
    return w.astype(np.float32), float(clf.intercept_[0] - (w * mu).sum())


def fit_ngram(data: SentenceData, rows: np.ndarray, C: float, seed: int
              ) -> tuple[np.ndarray, float, np.ndarray]:
    """Logistic regression on hashed TF-IDF n-grams of ``rows``: (w per bucket, b, idf)."""
    from sklearn.linear_model import LogisticRegression

    from unspin.claims import smooth_idf

    counts = data.ngram_counts()
    df = np.zeros(N_BUCKETS, np.int64)
    for r in rows:
        df[counts[r][0]] += 1
    idf = smooth_idf(df, len(rows))
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(_tfidf(data, rows, idf), data.y[rows])
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), idf


def first_level(data: SentenceData, rows: np.ndarray, pool_fit, ngram_fit,
                aggregates: np.ndarray) -> np.ndarray:
    """[len(rows), 5]: pool logit, n-gram logit, word aggregates (as
    :meth:`unspin.loaded.SentenceHead.first_level`)."""
    zp = data.pool[rows] @ pool_fit[0] + pool_fit[1]
    zn = _tfidf(data, rows, ngram_fit[2]) @ ngram_fit[0] + ngram_fit[1]
    return np.concatenate([zp[:, None], np.asarray(zn).reshape(-1, 1), aggregates[rows]], axis=1)


def fit_stack(first: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=STACK_C, max_iter=3000, random_state=seed).fit(first, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def best_threshold(scores: np.ndarray, y: np.ndarray, grid=None) -> tuple[float, float]:
    """(threshold, F1) maximising the positive-class F1 of ``scores >= threshold``."""
    from unspin.evaluate.loaded_eval import sentence_prf

    grid = np.round(np.arange(0.1, 0.901, 0.01), 2) if grid is None else grid
    best = max((sentence_prf(scores >= t, y == 1)["f1"], -abs(t - 0.5), t) for t in grid)
    return float(best[2]), float(best[0])


# --- the protocol --------------------------------------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def babe_aggregates(material: Material, logits: np.ndarray) -> np.ndarray:
    """[S, 3] word aggregates of every BABE sentence from per-word logits (NaN rows where a
    sentence's words have no logit)."""
    from unspin.loaded import word_aggregates

    c = material.corpora["babe"]
    bounds = np.cumsum(np.bincount(c.word_sent, minlength=c.n_sent))[:-1]
    return word_aggregates(np.split(np.asarray(logits, np.float64), bounds))


def word_cv(material: Material, setting: WordSetting, seed: int) -> dict[str, np.ndarray]:
    """Out-of-fold word logits of the BABE and BASIL words of the folds (NaN elsewhere)."""
    dev = set(range(FOLDS))
    out = {n: np.full(len(material.corpora[n].word_label), np.nan, np.float32)
           for n in ("babe", "basil")}
    for k in range(FOLDS):
        fit = fit_word(material, dev - {k}, setting, seed)
        for n in out:
            mask = material.word_part[n] == k
            out[n][mask] = fit.logits(material, n, mask)
    return out


def score_words(material: Material, oof: dict[str, np.ndarray], sent_masks: dict[str, np.ndarray]
                ) -> dict:
    """Best single thresholds (``low = threshold``) for BABE's biased words and BASIL's
    tokens on the sentences in ``sent_masks``, and the F1 at each."""
    from unspin.evaluate.loaded_eval import _prf

    pb = _sigmoid(np.nan_to_num(oof["babe"], nan=-30.0))
    ps = _sigmoid(np.nan_to_num(oof["basil"], nan=-30.0))
    tok_in = sent_masks["basil"][material.tok_sent]
    best_b, best_s = (0.0, 0.5), (0.0, 0.5)
    for t in THRESHOLDS:
        fb = _prf(*babe_word_counts(material, pb, sent_masks["babe"], t).sum(axis=0))["f1"]
        flags = basil_token_flags(material, ps, t)
        g = material.tok_gold[tok_in]
        p = flags[tok_in]
        fs = _prf((g & p).sum(), (p & ~g).sum(), (g & ~p).sum())["f1"]
        best_b = max(best_b, (fb, float(t)))
        best_s = max(best_s, (fs, float(t)))
    return {"babe_word_f1": best_b[0], "babe_threshold": best_b[1],
            "basil_token_f1": best_s[0], "basil_threshold": best_s[1],
            "criterion": best_b[0] + best_s[0]}


def tune_basil_low(material: Material, oof: np.ndarray, sent_mask: np.ndarray,
                   around: float) -> tuple[float, float, float]:
    """(threshold, low, token F1) maximising BASIL token F1 with real decoding, for
    thresholds near ``around`` and ``low`` = ratio * threshold."""
    from unspin.evaluate.loaded_eval import _prf

    p = _sigmoid(np.nan_to_num(oof, nan=-30.0))
    best = (-1.0, around, around)
    for t in np.round(around + np.array([-0.05, -0.025, 0.0, 0.025, 0.05]), 3):
        if t <= 0.01:
            continue
        for ratio in LOW_RATIOS:
            low = round(float(t * ratio), 4)
            tok, _, _, _ = basil_counts(material, basil_spans(material, p, sent_mask, t, low),
                                        sent_mask)
            f = _prf(*tok.sum(axis=0))["f1"]
            best = max(best, (f, float(t), low))
    return best[1], best[2], best[0]


def word_list_cv(material: Material, sent_masks, train_parts, test_parts, share: float):
    """Word-list baseline words per test sentence (BABE) and token flags (BASIL), the list
    counted separately on each corpus's training parts (a word is listed when marked at least
    twice and in at least ``share`` of its occurrences)."""
    out = {}
    for n in ("babe", "basil"):
        c = material.corpora[n]
        train = np.isin(material.word_part[n], list(train_parts))
        marked = {}
        for i in np.flatnonzero(train):
            w = material.norm[n][i]
            m = marked.setdefault(w, [0, 0])
            m[0] += bool(c.word_label[i])
            m[1] += 1
        listed = {w for w, (m, t) in marked.items() if w and m >= 2 and m / t >= share}
        test = np.isin(material.word_part[n], list(test_parts))
        hits = np.array([test[i] and material.norm[n][i] in listed
                         for i in range(len(c.word_label))])
        out[n] = hits
    return out


def baseline_scores(material: Material, sent_masks, part_pairs, share: float) -> dict:
    """Scores of the word-list baseline (each test part's list counted on its training parts)
    and of the all-positive baselines on the sentences of ``sent_masks``."""
    from unspin.evaluate.loaded_eval import scored, sentence_counts

    hits = {n: np.zeros(len(material.corpora[n].word_label), bool) for n in ("babe", "basil")}
    for train_parts, test_parts in part_pairs:
        got = word_list_cv(material, sent_masks, train_parts, test_parts, share)
        for n in hits:
            hits[n] |= got[n]
    b, s = material.corpora["babe"], material.corpora["basil"]
    sb = sent_masks["babe"]
    labelled = sb & (b.sent_label >= 0)
    words = babe_word_counts(material, hits["babe"].astype(float), sb, 0.5)
    any_hit = np.zeros(b.n_sent, bool)
    any_hit[b.word_sent[hits["babe"]]] = True
    flags = basil_token_flags(material, hits["basil"].astype(float), 0.5)
    tok_in = sent_masks["basil"][material.tok_sent]
    tok_doc = s.sent_doc[material.tok_sent]
    rows, groups = [], []
    for d in np.unique(tok_doc[tok_in]):
        sel = tok_in & (tok_doc == d)
        g, p = material.tok_gold[sel], flags[sel]
        rows.append(((g & p).sum(), (p & ~g).sum(), (g & ~p).sum()))
        groups.append(str(s.sent_group[s.sent_doc == d][0]))
    sbs = sent_masks["basil"]
    return {
        "babe_word_list": {
            "biased_words": scored(words, b.sent_group[sb]),
            "sentence_bias": scored(sentence_counts(any_hit[labelled], b.sent_label[labelled] == 1),
                                    b.sent_group[labelled])},
        "babe_all_biased": {"sentence_bias": scored(
            sentence_counts(np.ones(labelled.sum(), bool), b.sent_label[labelled] == 1),
            b.sent_group[labelled])},
        "basil_word_list": {"token": scored(np.asarray(rows).reshape(-1, 3), groups)},
        "basil_all_sentences": {"sentence": scored(
            sentence_counts(np.ones(sbs.sum(), bool), s.sent_label[sbs] == 1),
            s.sent_group[sbs])},
        "word_list_min_share": share,
    }


def sentence_data(material: Material) -> SentenceData:
    b = material.corpora["babe"]
    return SentenceData(b.sent_pool.astype(np.float32), [x.astype(np.int64) for x in b.ids()],
                        b.sent_label, material.sent_part["babe"], b.sent_group)


def _rows(data: SentenceData, parts) -> np.ndarray:
    return np.flatnonzero(np.isin(data.part, list(parts)) & (data.y >= 0))


def level_one_cv(data: SentenceData, seed: int) -> dict:
    """Out-of-fold logits of the pool and n-gram regressions over the folds for each C, and
    the C with the best F1 of each (a knob chosen by cross-validation)."""
    dev = set(range(FOLDS))
    out: dict = {"pool": {}, "ngram": {}}
    for kind, grid in (("pool", POOL_CS), ("ngram", NGRAM_CS)):
        for C in grid:
            z = np.full(len(data.y), np.nan)
            for k in range(FOLDS):
                train, test = _rows(data, dev - {k}), np.flatnonzero(data.part == k)
                if kind == "pool":
                    w, b = fit_pool(data, train, C, seed)
                    z[test] = data.pool[test] @ w + b
                else:
                    w, b, idf = fit_ngram(data, train, C, seed)
                    z[test] = _tfidf(data, test, idf) @ w + b
            rows = _rows(data, dev)
            out[kind][C] = (z, best_threshold(_sigmoid(z[rows]), data.y[rows])[1])
    return {kind: {"C": max(v, key=lambda c: v[c][1]), "f1": {str(c): round(f, 4)
                                                               for c, (_, f) in v.items()},
                   "oof": v[max(v, key=lambda c: v[c][1])][0]} for kind, v in out.items()}


def sentence_cv(material: Material, data: SentenceData, setting: WordSetting, level1: dict,
                outer_word: np.ndarray, seed: int) -> np.ndarray:
    """Nested cross-validated sentence probabilities over the folds: for held-out fold k the
    stacking weights are fitted on first-level scores that are out-of-fold *within* the
    other folds (word heads, pool and n-gram regressions refitted without fold k and the
    inner fold), so no score of fold k ever saw fold k."""
    dev = set(range(FOLDS))
    c_pool, c_ngram = level1["pool"]["C"], level1["ngram"]["C"]
    probs = np.full(len(data.y), np.nan)
    agg_outer = babe_aggregates(material, np.nan_to_num(outer_word, nan=-30.0))
    # the word head without folds {k, j} serves held-out fold k (scoring j) and fold j
    # (scoring k): fit each of the 10 pairs once
    inner_z: dict[frozenset, np.ndarray] = {}
    for pair in (frozenset((k, j)) for k in range(FOLDS) for j in range(k + 1, FOLDS)):
        fit = fit_word(material, dev - pair, setting, seed)
        mask = np.isin(material.word_part["babe"], list(pair))
        z = np.full(len(material.corpora["babe"].word_label), -30.0, np.float32)
        z[mask] = fit.logits(material, "babe", mask)
        inner_z[pair] = z
    for k in range(FOLDS):
        inner_first, inner_y = [], []
        for j in dev - {k}:
            parts = dev - {k, j}
            word_z = np.where(material.word_part["babe"] == j, inner_z[frozenset((k, j))],
                              -30.0).astype(np.float32)
            agg = babe_aggregates(material, word_z)
            train, test = _rows(data, parts), _rows(data, {j})
            first = first_level(data, test, fit_pool(data, train, c_pool, seed),
                                fit_ngram(data, train, c_ngram, seed), agg)
            inner_first.append(first)
            inner_y.append(data.y[test])
        stack_w, stack_b = fit_stack(np.concatenate(inner_first), np.concatenate(inner_y), seed)
        train, test = _rows(data, dev - {k}), np.flatnonzero(data.part == k)
        first = first_level(data, test, fit_pool(data, train, c_pool, seed),
                            fit_ngram(data, train, c_ngram, seed), agg_outer)
        probs[test] = _sigmoid(first @ stack_w + stack_b)
        log.info("sentence fold %d done", k)
    return probs


def _babe_sentence_scores(data: SentenceData, probs: np.ndarray, mask: np.ndarray,
                          threshold: float) -> dict:
    from unspin.evaluate.loaded_eval import scored, sentence_counts

    rows = mask & (data.y >= 0)
    out = scored(sentence_counts(probs[rows] >= threshold, data.y[rows] == 1), data.group[rows])
    out["threshold"] = threshold
    return out


def evaluate_words(material: Material, logits: dict[str, np.ndarray],
                   sent_masks: dict[str, np.ndarray], babe_t: float, basil_t: float,
                   basil_low: float) -> dict:
    """BABE biased-word and BASIL token/sentence scores of word logits, with intervals."""
    from unspin.evaluate.loaded_eval import scored

    b = material.corpora["babe"]
    pb = _sigmoid(np.nan_to_num(logits["babe"], nan=-30.0))
    ps = _sigmoid(np.nan_to_num(logits["basil"], nan=-30.0))
    words = babe_word_counts(material, pb, sent_masks["babe"], babe_t)
    spans = basil_spans(material, ps, sent_masks["basil"], basil_t, basil_low)
    tok, sent, tok_groups, sent_groups = basil_counts(material, spans, sent_masks["basil"])
    return {"babe_biased_words": {**scored(words, b.sent_group[sent_masks["babe"]]),
                                  "threshold": babe_t},
            "basil_token": {**scored(tok, tok_groups), "threshold": basil_t, "low": basil_low},
            "basil_sentence": scored(sent, sent_groups),
            "basil_predicted_spans": int(sum(len(v) for v in spans.values()))}


def per_leaning(material: Material, data: SentenceData, leanings: np.ndarray, probs, word_logits,
                mask, s_threshold: float, w_threshold: float) -> dict:
    """BABE sentence and biased-word F1 per outlet leaning (left, center, right)."""
    from unspin.evaluate.loaded_eval import _prf, sentence_counts

    pb = _sigmoid(np.nan_to_num(word_logits, nan=-30.0))
    out = {}
    for lean in sorted(set(leanings[mask])):
        m = mask & (leanings == lean)
        rows = m & (data.y >= 0)
        out[str(lean)] = {
            "sentences": int(m.sum()),
            "biased_share": round(float((data.y[rows] == 1).mean()), 4),
            "sentence_f1": round(_prf(*sentence_counts(probs[rows] >= s_threshold,
                                                       data.y[rows] == 1).sum(axis=0))["f1"], 4),
            "predicted_biased_share": round(float((probs[rows] >= s_threshold).mean()), 4),
            "word_f1": round(_prf(*babe_word_counts(material, pb, m, w_threshold)
                                  .sum(axis=0))["f1"], 4)}
    return out


# --- the command ---------------------------------------------------------------------------------


def load_material(data_dir: Path, cache_dir: Path, encoder_fn, with_ptc: bool) -> Material:
    """BABE and BASIL (and PTC when ``with_ptc``) encoded, from the cache when it holds them."""
    names = ["babe", "basil"] + (["ptc"] if with_ptc else [])
    return Material({n: load_corpus(n, data_dir, cache_dir, cache_key(), encoder_fn)
                     for n in names})


def _leanings(data_dir: Path) -> np.ndarray:
    return np.asarray([r.leaning for r in read_babe(Path(data_dir) / "babe" / "train")
                       if r.text.strip()])


def train_loaded(data_dir: Path, model_dir: Path, command: str, seed: int = SEED,
                 cache_dir: Path = Path("runs/loaded-cache"), threads: int | None = None,
                 word_grid: list[WordSetting] | None = None,
                 ptc_weights: tuple[float, ...] = PTC_WEIGHTS) -> dict:
    """Choose the knobs by 5-fold cross-validation, score the lockbox once, train on all the
    data and ship ``loaded.npz`` + ``loaded_config.json`` with a manifest entry. Returns the
    summary (also written to ``cache_dir/loaded-cv.json``)."""
    from unspin.evaluate.loaded_eval import word_list
    from unspin.loaded import (
        NAME,
        LinearWordHead,
        LoadedModel,
        LoadedPrior,
        SentenceHead,
    )
    from unspin.models import MODELS_DIR, model_file, sha256_of, write_manifest_entry

    started = time.time()
    data_dir, model_dir, cache_dir = Path(data_dir), Path(model_dir), Path(cache_dir)
    onnx = model_file("techniques", "techniques.onnx", MODELS_DIR)
    encoder_sha = sha256_of(onnx)
    heads_sha = sha256_of(model_file("techniques", "techniques_heads.npz", MODELS_DIR))
    holder: dict = {}

    def encoder_fn():
        if "e" not in holder:
            from unspin.techniques import load_encoder

            holder["e"] = load_encoder(threads)
        return holder["e"]

    word_grid = list(word_grid or WORD_GRID)
    use_ptc = bool(ptc_weights) and (data_dir / "ptc" / "train").is_dir()
    material = load_material(data_dir, cache_dir, encoder_fn, use_ptc)
    log.info("material ready in %.0fs (%d vocabulary words)", time.time() - started,
             len(material.vocab))
    dev = set(range(FOLDS))
    dev_sents = {n: material.sent_part[n] < LOCKBOX_PART for n in ("babe", "basil")}
    box_sents = {n: material.sent_part[n] == LOCKBOX_PART for n in ("babe", "basil")}

    # 1. the word head: setting by CV (BABE biased-word F1 + BASIL token F1)
    grid_report, oofs = [], {}
    for setting in word_grid:
        oofs[setting] = word_cv(material, setting, seed)
        scores = score_words(material, oofs[setting], dev_sents)
        grid_report.append({"setting": setting.__dict__, **_rounded(scores)})
        log.info("word %s: %s (%.0fs)", setting, _rounded(scores), time.time() - started)
    best = max(word_grid, key=lambda s: score_words(material, oofs[s], dev_sents)["criterion"])
    if use_ptc:
        for w in ptc_weights:
            setting = WordSetting(best.C, best.basil_weight, w, best.cues)
            oofs[setting] = word_cv(material, setting, seed)
            scores = score_words(material, oofs[setting], dev_sents)
            grid_report.append({"setting": setting.__dict__, **_rounded(scores)})
            log.info("word %s: %s (%.0fs)", setting, _rounded(scores), time.time() - started)
        best = max(oofs, key=lambda s: score_words(material, oofs[s], dev_sents)["criterion"])
    oof = oofs[best]
    chosen = score_words(material, oof, dev_sents)
    babe_t = chosen["babe_threshold"]
    basil_t, basil_low, _ = tune_basil_low(material, oof["basil"], dev_sents["basil"],
                                           chosen["basil_threshold"])
    if not use_ptc:
        material.corpora.pop("ptc", None)

    # 2. the sentence head: first-level C by CV, stacking weights by nested CV
    data = sentence_data(material)
    level1 = level_one_cv(data, seed)
    sent_probs = sentence_cv(material, data, best, level1, oof["babe"], seed)
    dev_rows = _rows(data, dev)
    s_threshold, _ = best_threshold(sent_probs[dev_rows], data.y[dev_rows])
    leanings = _leanings(data_dir)

    # baselines: word-list minimum share by CV on the folds
    fold_pairs = [(dev - {k}, {k}) for k in range(FOLDS)]
    shares = {sh: baseline_scores(material, dev_sents, fold_pairs, sh) for sh in (0.2, 0.3, 0.5)}
    share = max(shares, key=lambda sh: shares[sh]["babe_word_list"]["biased_words"]["f1"])

    cv = {"words": evaluate_words(material, oof, dev_sents, babe_t, basil_t, basil_low),
          "babe_sentence_bias": _babe_sentence_scores(data, sent_probs, data.part < LOCKBOX_PART,
                                                      s_threshold),
          "baselines": shares[share],
          "babe_per_leaning": per_leaning(material, data, leanings, sent_probs, oof["babe"],
                                          dev_sents["babe"], s_threshold, babe_t)}
    log.info("cv: %s", json.dumps(_rounded(cv))[:2000])

    # 3. the lockbox, once: everything fitted on the folds only
    fit = fit_word(material, dev, best, seed)
    box_logits = {n: np.where(material.word_part[n] == LOCKBOX_PART,
                              0.0, np.nan).astype(np.float32) for n in ("babe", "basil")}
    for n in box_logits:
        mask = material.word_part[n] == LOCKBOX_PART
        box_logits[n][mask] = fit.logits(material, n, mask)
    c_pool, c_ngram = level1["pool"]["C"], level1["ngram"]["C"]
    dev_first = np.concatenate([level1["pool"]["oof"][:, None], level1["ngram"]["oof"][:, None],
                                babe_aggregates(material, np.nan_to_num(oof["babe"], nan=-30.0))],
                               axis=1)
    stack_w, stack_b = fit_stack(dev_first[dev_rows], data.y[dev_rows], seed)
    pool_dev = fit_pool(data, dev_rows, c_pool, seed)
    ngram_dev = fit_ngram(data, dev_rows, c_ngram, seed)
    box_rows = np.flatnonzero(data.part == LOCKBOX_PART)
    box_probs = np.full(len(data.y), np.nan)
    box_first = first_level(data, box_rows, pool_dev, ngram_dev,
                            babe_aggregates(material, np.nan_to_num(box_logits["babe"],
                                                                    nan=-30.0)))
    box_probs[box_rows] = _sigmoid(box_first @ stack_w + stack_b)
    lockbox_scores = {
        "words": evaluate_words(material, box_logits, box_sents, babe_t, basil_t, basil_low),
        "babe_sentence_bias": _babe_sentence_scores(data, box_probs, data.part == LOCKBOX_PART,
                                                    s_threshold),
        "baselines": baseline_scores(material, box_sents, [(dev, {LOCKBOX_PART})], share),
        "babe_per_leaning": per_leaning(material, data, leanings, box_probs, box_logits["babe"],
                                        box_sents["babe"], s_threshold, babe_t),
        "sentences": {"babe": int(box_sents["babe"].sum()),
                      "basil": int(box_sents["basil"].sum())},
        "groups": {"babe": int(len(set(data.group[box_rows]))),
                   "basil_events": int(len(set(material.corpora["basil"].sent_group[
                       box_sents["basil"]])))}}
    log.info("lockbox: %s", json.dumps(_rounded(lockbox_scores))[:2000])

    # 4. ship: trained on every part (folds and lockbox) with the knobs chosen above
    everything = dev | {LOCKBOX_PART}
    final = fit_word(material, everything, best, seed)
    all_rows = _rows(data, everything)
    pool_all = fit_pool(data, all_rows, c_pool, seed)
    ngram_all = fit_ngram(data, all_rows, c_ngram, seed)
    prior = LoadedPrior({material.vocab[i]: float(v) for i in np.flatnonzero(final.prior)
                         for v in [final.prior[i]]})
    b = material.corpora["babe"]
    listed = word_list(
        [(b.texts[b.sent_doc[k]], [tuple(map(int, x)) for x in b.word_span[b.word_sent == k]],
          b.word_label[b.word_sent == k].tolist()) for k in range(b.n_sent)], 2, share)
    config = {
        "encoder_sha256": encoder_sha, "seed": seed,
        "threshold": basil_t, "low": basil_low, "max_words": MAX_WORDS,
        "sentence_threshold": s_threshold,
        "threshold_doc": "default decoding (the pipeline's): tuned for BASIL token F1 on whole "
                         "news articles; a word seeds a span at >= threshold, neighbours join "
                         "at >= low, spans stay inside one sentence, at most max_words words",
        "sentence_threshold_doc": "a sentence is called biased (BABE) at a calibrated "
                                  "probability >= this; maximises out-of-fold BABE sentence F1",
        "babe": {"threshold": babe_t, "low": babe_t, "sentence_threshold": s_threshold},
        "basil": {"threshold": basil_t, "low": basil_low},
        "word_setting": best.__dict__, "pool_C": c_pool, "ngram_C": c_ngram,
        "n_buckets": N_BUCKETS, "stack": {"weights": [round(float(x), 5) for x in stack_w],
                                          "bias": round(stack_b, 5)},
        "features": "word: mean hidden state of its pieces + word prior + capitalised "
                    "mid-sentence" + (" + phrase cues (unspin.phrase_cues: the technique "
                                      "span and token heads, copied into loaded.npz)"
                                      if best.cues else "")
                    + "; sentence: stacked pool LR, hashed TF-IDF LR of word-piece ids, "
                      "word-logit aggregates (unspin.loaded)",
        "baseline_word_list": listed, "baseline_word_list_min_share": share,
    }
    model = LoadedModel(LinearWordHead(final.w, final.b),
                        SentenceHead(pool_all[0], pool_all[1], ngram_all[0], ngram_all[1],
                                     ngram_all[2], stack_w, stack_b), prior, config,
                        shipped_cue_head() if best.cues else None)
    model_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(model_dir / f"{NAME}.npz", **model.arrays())
    (model_dir / f"{NAME}_config.json").write_text(json.dumps(config, indent=1) + "\n",
                                                   encoding="utf-8")
    scores = {"cv_5fold": _rounded(cv), "lockbox": _rounded(lockbox_scores)}
    entry = write_manifest_entry(model_dir, NAME, [f"{NAME}.npz", f"{NAME}_config.json"], {
        "command": command, "seed": seed,
        "encoder": f"techniques.onnx sha256 {encoder_sha}"
                   + (f"; phrase cues from techniques_heads.npz sha256 {heads_sha}"
                      if best.cues else ""),
        "trainer": "unspin.train.loaded_recipe (scikit-learn logistic regressions)",
        "data": ["../shared/data/babe/train (sentences.tsv: label_bias, biased_words)",
                 "../shared/data/basil/train (articles, annotations: lex spans)"]
                + (["../shared/data/ptc/train (tc.labels Loaded_Language, "
                    "Name_Calling,Labeling) as extra positives"] if best.ptc_weight else []),
        "protocol": "lockbox = groups with sha256(group) % 5 == 0 (BABE group: outlet|topic, "
                    "as sentences.tsv names no article; BASIL: triplet-uuid), never used for a "
                    "choice and scored once; 5-fold GroupKFold CV on the rest chose every "
                    "knob; the shipped model is refitted on all data with those knobs; 95% "
                    "intervals: bootstrap over groups (BABE outlet|topic, BASIL events)",
        "scores": scores,
        "knobs_cv": {"word_grid": grid_report,
                     "level1": {k: {"C": v["C"], "f1": v["f1"]} for k, v in level1.items()}},
    })
    summary = {"command": command, "seed": seed, "seconds": round(time.time() - started, 1),
               "word_grid": grid_report, "chosen": best.__dict__,
               "level1": {k: {"C": v["C"], "f1": v["f1"]} for k, v in level1.items()},
               **scores, "manifest": entry}
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / "loaded-cv.json").write_text(json.dumps(summary, indent=2) + "\n")
    log.info("done in %.0fs", time.time() - started)
    return summary


def _rounded(x):
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_rounded(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return round(float(x), 4)
    if isinstance(x, np.integer):
        return int(x)
    return x


COMMAND = "python -m unspin.train.loaded_recipe --data ../shared/data"
"""The command that trained the shipped model (``unspin train loaded --data ../shared/data``
once the CLI calls :func:`train_loaded`)."""


def main(argv: list[str] | None = None) -> int:
    import argparse

    from unspin.models import MODELS_DIR

    parser = argparse.ArgumentParser(prog="python -m unspin.train.loaded_recipe",
                                     description="train the loaded-wording head")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--models", type=Path, default=MODELS_DIR)
    parser.add_argument("--cache", type=Path, default=Path("runs/loaded-cache"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    command = COMMAND if argv is None else "python -m unspin.train.loaded_recipe " + " ".join(argv)
    summary = train_loaded(args.data, args.models, command, args.seed, args.cache)
    print(json.dumps({k: summary[k] for k in ("cv_5fold", "lockbox", "chosen", "seconds")},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
