"""A learned cue tagger for the sentences the attribution rules leave unattributed: what it
would buy, measured by cross-validation over PolNeAR train articles and once on the lockbox.

The route tried at stop 31 for issue 16 ("no source" verdicts inside a gold attribution) and
not shipped: at the threshold the cross-validation chooses, it moves about 1% of the
"unattributed" verdicts, two in three of them rightly, and leaves the "no source" share
where it was within its interval (``docs/benchmarks.md``, "Sourcing flags", sixth round).

- **Candidates**: the root verb of a sentence the rules leave unattributed (or an auxiliary
  root such as "is"), and verbs conjoined to it, outside quotation marks, not negated, not
  already a rule's cue, each with a source (:func:`unspin.attribution.cues._source`).
- **Label**: the candidate lies inside the cue of a gold relation with a source whose content
  holds at least half of the sentence's words. A sentence is *attributed* when the annotators
  attribute it (:meth:`unspin.evaluate.flags.GoldIndex.status`: named or anonymous).
- **Features** (:func:`cue_features`): the verb's lemma and frame, tense, dependents, the kind
  of its subject from closed lists (pronoun, vague source, role, group, entity type, noun);
  no name is ever a feature (a capitalised word is read as its entity type).
- **Model**: logistic regression; ``C`` chosen by out-of-fold log-loss over 5 folds by
  article, then the threshold that maximises the out-of-fold F1 of the "unattributed" verdict
  (a sentence keeps it when its likeliest candidate stays below the threshold).
- **Lockbox**: ``sha256(name) % 5 == 0``, scored once by a model fitted on the rest.

Needs scikit-learn (the ``train`` extra); about 6 minutes on two cores::

    python benchmarks/cue_tagger.py ../shared/data/polnear/train
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from unspin.attribution.claims import attribute_claims
from unspin.attribution.cues import _frame, _source, cue_lemma
from unspin.attribution.lexicon import _AGENT_NOUNS, ANONYMOUS_HEADS, CUES
from unspin.attribution.relation import Relation
from unspin.attribution.spans import _Context
from unspin.report import Hedge, Sentence
from unspin.titles import PERSON_ROLES
from unspin.train.split import hash_bucket, in_lockbox

log = logging.getLogger(__name__)

SEED = 13
MIN_COUNT = 3
GRID_C = (0.1, 0.3, 1.0, 3.0)
N_FOLDS = 5
N_BOOTSTRAP = 1000

_CLAUSES = frozenset({"ccomp", "xcomp"})


def candidates(sentence, ctx: _Context, taken: Sequence[tuple[int, int]] = ()) -> list[Token]:
    """The candidate cue verbs of a spaCy sentence: its root (a verb, or an auxiliary that is
    no modal) and the verbs conjoined to it, outside quotation marks, not negated, each with
    a source, and none inside ``taken`` (the cues of the relations found already, as
    character ranges: "has not confirmed" is a cue the rules know, negated)."""
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX") or root.tag_ == "MD":
        return []
    found = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    return [v for v in found if ctx.quote_at(v.idx) is None and _source(v) is not None
            and not any(c.dep_ == "neg" for c in v.children)
            and not any(s <= v.idx < e for s, e in taken)]


def _word(token: Token) -> str:
    """A token as a feature reads it: for a name, or any capitalised word (the small parser
    tags "Trump" a common noun at times), only its entity type, so that no name is ever a
    feature; else its lemma."""
    if token.pos_ == "PROPN" or token.ent_type_ or token.text[:1].isupper():
        return "<" + (token.ent_type_ or "CAP") + ">"
    return token.lemma_.lower()


def _subject_class(verb: Token) -> str:
    """What kind of thing the verb's subject is, from closed lists only: a pronoun, a vague
    source ("officials"), a person's role ("the senator"), a group or institution ("the
    court"), an entity type, or a common noun."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")),
                   None)
    if subject is None:
        return "none"
    low = subject.lower_
    if subject.pos_ == "PRON":
        return "pron:" + low
    if low in ANONYMOUS_HEADS:
        return "vague"
    if subject.lemma_.lower() in PERSON_ROLES:
        return "role"
    if low in _AGENT_NOUNS or subject.lemma_.lower() in _AGENT_NOUNS:
        return "group"
    word = _word(subject)
    return word if word.startswith("<") else "noun"


def cue_features(verb: Token) -> list[str]:
    """The features of a candidate cue verb (distinct strings; see the module doc)."""
    lemma = cue_lemma(verb)
    frame = _frame(verb)
    subject = _subject_class(verb)
    out = [f"lemma={lemma}", f"frame={frame}", f"lemma+frame={lemma}+{frame}",
           f"tag={verb.tag_}", f"dep={verb.dep_}", f"subject={subject}",
           f"lemma+subject={lemma}+{subject}", f"lexicon={lemma in CUES}"]
    for c in verb.children:
        out.append(f"child={c.dep_}")
        if c.dep_ in _CLAUSES:
            out.append(f"lemma+{c.dep_}={lemma}+{cue_lemma(c)}")
            mark = next((m.lower_ for m in c.children if m.dep_ in ("mark", "aux")), "")
            out.append(f"{c.dep_}_mark={mark}")
        elif c.dep_ in ("dobj", "acomp", "attr", "oprd"):
            out.append(f"lemma+{c.dep_}={lemma}+{_word(c)}")
        elif c.dep_ == "prep":
            out.append(f"lemma+prep={lemma}+{c.lower_}")
        elif c.dep_ in ("aux", "auxpass", "neg"):
            out.append(f"aux={c.lower_}")
    nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if nxt is not None:
        out.append(f"next={_word(nxt)}")
    return list(dict.fromkeys(out))


def unattributed_sentences(doc: Doc, sentences: Sequence[Sentence], relations: list[Relation],
                           hedges: Sequence[Hedge], ctx: _Context) -> list:
    """The spaCy sentences of the report sentences that the relations found so far leave
    ``unattributed`` (:func:`unspin.attribution.attribute_claims`)."""
    attributions = attribute_claims(sentences, relations, hedges, ctx.text, ctx.quotes)
    out = []
    for sentence, attribution in zip(sentences, attributions, strict=True):
        if attribution.kind != "unattributed":
            continue
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and len(span):
            out.append(span[0].sent)
    return out


@dataclass
class SentenceRow:
    """One sentence the rules leave unattributed: its article, whether the annotators
    attribute it, and its candidates' features and labels."""

    article: str
    attributed: bool
    features: list[list[str]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)


def article_rows(article, nlp) -> list[SentenceRow]:
    """The :class:`SentenceRow` of every sentence of a PolNeAR article that the rules leave
    unattributed (the article is read as ``unspin eval flags`` reads it)."""
    from unspin.article import parse_text
    from unspin.attribution.relations import find_relations
    from unspin.evaluate.flags import GoldIndex
    from unspin.evaluate.polnear import _same_length_newlines
    from unspin.pipeline import MAX_ANALYSED_CHARS, MAX_ANALYSED_TOKENS
    from unspin.stages import Analysis, Mentions, Parsing, Reading

    text = _same_length_newlines(article.text)
    parsed = parse_text(text)
    if parsed.text != text:
        return []
    analysis = Analysis(parsed)
    for stage in (Reading(MAX_ANALYSED_CHARS), Parsing(nlp, MAX_ANALYSED_TOKENS), Mentions()):
        stage.run(analysis)
    doc, quotes = analysis.doc, analysis.quotes()
    relations = find_relations(doc, analysis.sentences, analysis.hedges, quotes=quotes)
    ctx = _Context(doc, quotes, analysis.text)
    gold = GoldIndex.build(analysis.text, article.relations)
    taken = [(r.cue.start, r.cue.end) for r in relations if r.cue is not None]
    rows = []
    for sent in unattributed_sentences(doc, analysis.sentences, relations, analysis.hedges,
                                       ctx):
        status = gold.status(sent.start_char, sent.end_char)
        row = SentenceRow(article.name, status in ("named", "anonymous"))
        cue_chars = _attributing_cues(gold, article.relations, sent.start_char, sent.end_char)
        for verb in candidates(sent, ctx, taken):
            row.features.append(cue_features(verb))
            row.labels.append(verb.idx in cue_chars)
        rows.append(row)
    return rows


def _attributing_cues(gold, relations: Sequence, start: int, end: int) -> set[int]:
    """The characters of the cues of the gold relations with a source whose content holds
    at least half of the words of ``[start, end)``."""
    words = gold.tokens([(start, end)])
    out: set[int] = set()
    for rel in relations:
        if not rel.source or not words:
            continue
        inside = len(set(gold.tokens(rel.content)) & set(words))
        if inside >= 0.5 * len(words):
            for s, e in rel.cue:
                out.update(range(s, e))
    return out


def read_rows(split: Path) -> list[SentenceRow]:
    """Every :class:`SentenceRow` of a PolNeAR split."""
    from unspin.evaluate.polnear import read_polnear
    from unspin.nlp import load_spacy

    nlp = load_spacy()
    rows: list[SentenceRow] = []
    articles = read_polnear(split)
    started = time.perf_counter()
    for k, article in enumerate(articles, 1):
        rows.extend(article_rows(article, nlp))
        if k % 100 == 0:
            log.info("read %d of %d articles (%.0f s)", k, len(articles),
                     time.perf_counter() - started)
    return rows


# --- fitting and scoring ---------------------------------------------------------------------


def vocabulary(rows: Sequence[SentenceRow]) -> dict[str, int]:
    """The features seen in at least :data:`MIN_COUNT` candidates, numbered."""
    counts = Counter(f for r in rows for feats in r.features for f in set(feats))
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def _matrix(rows: Sequence[SentenceRow], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    indptr, indices, labels = [0], [], []
    for r in rows:
        for feats, label in zip(r.features, r.labels, strict=True):
            indices.extend(sorted({vocab[f] for f in feats if f in vocab}))
            indptr.append(len(indices))
            labels.append(label)
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(labels), len(vocab))), \
        np.array(labels, dtype=bool)


def fit(rows: Sequence[SentenceRow], c: float) -> tuple[dict[str, float], float]:
    """A logistic regression on the candidates of ``rows``: weights by feature, and bias."""
    from sklearn.linear_model import LogisticRegression

    vocab = vocabulary(rows)
    x, y = _matrix(rows, vocab)
    model = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    model.fit(x, y)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {f: float(w) for f, w in zip(names, model.coef_[0], strict=True)}
    return weights, float(model.intercept_[0])


def candidate_probabilities(rows: Sequence[SentenceRow], weights: dict[str, float],
                            bias: float) -> list[list[float]]:
    """For each row, its candidates' probabilities under ``weights`` and ``bias``."""
    out = []
    for r in rows:
        z = [bias + sum(weights.get(f, 0.0) for f in set(feats)) for feats in r.features]
        out.append([float(1.0 / (1.0 + np.exp(-v))) for v in z])
    return out


def folds(rows: Sequence[SentenceRow]) -> list[int]:
    """A fold (0 .. N_FOLDS - 1) per row, by a hash of its article's name (another hash than
    the lockbox's, so the folds split the development articles evenly)."""
    return [hash_bucket(r.article + "/fold", N_FOLDS) for r in rows]


def out_of_fold(rows: Sequence[SentenceRow], c: float) -> list[list[float]]:
    """Each row's candidate probabilities from a model fitted on the other folds."""
    fold = folds(rows)
    probs: list[list[float]] = [[] for _ in rows]
    for k in range(N_FOLDS):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        weights, bias = fit(train, c)
        held = [i for i, f in enumerate(fold) if f == k]
        for i, p in zip(held, candidate_probabilities([rows[i] for i in held], weights, bias),
                        strict=True):
            probs[i] = p
    return probs


def log_loss(rows: Sequence[SentenceRow], probs: Sequence[Sequence[float]]) -> float:
    """Mean log-loss of the candidates."""
    losses = [-np.log(p if y else 1.0 - p) for r, ps in zip(rows, probs, strict=True)
              for y, p in zip(r.labels, ps, strict=True)]
    return float(np.mean(np.clip(losses, 0, 30)))


def verdicts(rows: Sequence[SentenceRow], probs: Sequence[Sequence[float]],
             threshold: float) -> dict:
    """What the threshold does to the ``unattributed`` verdicts of ``rows``: how many it
    moves (and how many of those the annotators attribute), the share of the verdicts left
    that lie inside a gold attribution, and the F1 of the verdict against the annotators
    (positive: not attributed by them)."""
    kept = [bool(not ps or max(ps) < threshold) for ps in probs]
    tp = sum(k and not r.attributed for r, k in zip(rows, kept, strict=True))
    fp = sum(k and r.attributed for r, k in zip(rows, kept, strict=True))
    fn = sum(not k and not r.attributed for r, k in zip(rows, kept, strict=True))
    moved = len(rows) - sum(kept)
    return {"threshold": round(threshold, 4), "moved": moved,
            "moved_attributed_by_annotators": moved - fn,
            "no_source_inside_gold": fp / max(1, tp + fp),
            "f1": 2 * tp / max(1, 2 * tp + fp + fn)}


def choose_threshold(rows: Sequence[SentenceRow], probs: Sequence[Sequence[float]]) -> float:
    """The threshold (0.05, 0.06, ..., 0.95) with the highest out-of-fold F1."""
    grid = [k / 100 for k in range(5, 96)]
    return max(grid, key=lambda t: (verdicts(rows, probs, t)["f1"], t))


def bootstrap_share(rows: Sequence[SentenceRow], probs: Sequence[Sequence[float]],
                    threshold: float) -> list[float]:
    """A 95% interval of the "no source inside gold" share, resampling articles."""
    by_article: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_article.setdefault(r.article, []).append(i)
    groups = list(by_article.values())
    rng = np.random.default_rng(SEED)
    shares = []
    for _ in range(N_BOOTSTRAP):
        pick = [i for g in rng.integers(0, len(groups), len(groups)) for i in groups[g]]
        shares.append(verdicts([rows[i] for i in pick], [probs[i] for i in pick],
                               threshold)["no_source_inside_gold"])
    return [round(float(np.quantile(shares, q)), 4) for q in (0.025, 0.975)]


def _compare(rows: Sequence[SentenceRow], probs: Sequence[Sequence[float]],
             threshold: float) -> dict:
    """The verdicts of the rules alone and with the tagger at ``threshold``, with intervals."""
    out = {}
    for name, t in (("rules_only", 2.0), ("with_tagger", threshold)):  # 2.0: nothing moves
        out[name] = verdicts(rows, probs, t)
        out[name]["no_source_ci"] = bootstrap_share(rows, probs, t)
    return out


def run(split: Path) -> dict:
    """Read the split, choose ``C`` and the threshold by cross-validation on its development
    part, score the lockbox once; the figures as a dict."""
    started = time.perf_counter()
    rows = read_rows(split)
    development = [r for r in rows if not in_lockbox(r.article)]
    lockbox = [r for r in rows if in_lockbox(r.article)]
    losses, oof = {}, {}
    for c in GRID_C:
        oof[c] = out_of_fold(development, c)
        losses[c] = log_loss(development, oof[c])
    c = min(GRID_C, key=lambda k: losses[k])
    threshold = choose_threshold(development, oof[c])
    weights, bias = fit(development, c)
    held = candidate_probabilities(lockbox, weights, bias)
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:25]
    return {"c": c, "log_loss_by_c": losses, "threshold": threshold,
            "sentences": {"development": len(development), "lockbox": len(lockbox)},
            "candidates": sum(len(r.labels) for r in rows),
            "positive_candidates": sum(sum(r.labels) for r in rows),
            "cv": _compare(development, oof[c], threshold),
            "lockbox": _compare(lockbox, held, threshold),
            "top_weights": [[f, round(w, 3)] for f, w in top],
            "seconds": round(time.perf_counter() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split (its train split)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    print(json.dumps(run(args.split), indent=1))


if __name__ == "__main__":
    main()
