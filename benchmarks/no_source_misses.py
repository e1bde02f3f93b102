"""Where unspin's false "no source" verdicts come from, and what two cheap routes would buy.

Input: a PolNeAR split and the ``--predictions`` folder that ``unspin eval flags`` (or
``python -m unspin.evaluate.flags SPLIT --part development --predictions DIR``) wrote for it.
Output (stdout, JSON lines then a table):

1. *Anatomy*: for every claim unspin calls ``unattributed`` that lies inside a gold
   attribution with a source (the "no source" figure's numerator), where that relation's cue
   is: inside the claim's sentence, before it, or after it / absent; and the commonest cue
   texts.
2. *A learned abstention gate*: a TF-IDF (word 1-2 grams) logistic regression that reads the
   claim's text and predicts whether the annotators attribute it, cross-validated over
   articles (5 grouped folds, out-of-fold probabilities). For thresholds at quantiles of
   those probabilities: how many "no source" verdicts it would withhold, how many of those
   were false, and the "no source" share left.
3. *A learned cue lexicon*: the positive rate per lemma of the claim's root verb (spaCy),
   and what adding every lemma with a rate of at least one half (and at least 4 claims)
   would move. Measured on the same data it is read from, so optimistic.

Needs scikit-learn (the ``train`` extra). Nothing here is used at run time.

    python benchmarks/no_source_misses.py ../shared/data/polnear/train DIR
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from unspin.evaluate.polnear import read_polnear

ATTRIBUTED = ("named", "anonymous")


def unattributed_claims(split: Path, predictions: Path) -> list[dict]:
    """Every claim the predictions call ``unattributed``: its article, text, whether the
    annotators attribute it, and the gold relation (with a source) whose content overlaps it
    most, if any."""
    articles = {a.name: a for a in read_polnear(split)}
    out = []
    for path in sorted(predictions.glob("*.json")):
        article = articles[path.stem]
        for row in json.loads(path.read_text(encoding="utf-8"))["claims"]:
            if row["kind"] != "unattributed":
                continue
            start, end = row["start"], row["end"]
            best, overlap = None, 0
            for rel in article.relations:
                shared = sum(max(0, min(end, e) - max(start, s)) for s, e in rel.content)
                if rel.source and shared > overlap:
                    best, overlap = rel, shared
            out.append({"article": path.stem, "text": article.text[start:end],
                        "start": start, "end": end, "attributed": row["gold"] in ATTRIBUTED,
                        "relation": best, "full": article.text})
    return out


def anatomy(claims: list[dict]) -> dict:
    """Where the cue of each false "no source" verdict lies, and the commonest cue texts."""
    where: Counter = Counter()
    cues: Counter = Counter()
    for c in claims:
        rel = c["relation"]
        if not c["attributed"] or rel is None:
            continue
        if rel.cue and all(c["start"] <= s and e <= c["end"] for s, e in rel.cue):
            place = "cue in the claim"
        elif rel.cue and rel.cue[0][0] < c["start"]:
            place = "cue before the claim"
        else:
            place = "cue after the claim or none"
        where[place] += 1
        cues[" ".join(c["full"][s:e] for s, e in rel.cue).lower()] += 1
    return {"false_no_source": sum(where.values()), "where": dict(where),
            "distinct_cue_texts": len(cues), "top_cues": cues.most_common(25)}


def gate_curve(claims: list[dict]) -> list[dict]:
    """The abstention gate's out-of-fold trade-off (see the module doc)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    texts = [c["text"] for c in claims]
    y = np.array([c["attributed"] for c in claims])
    groups = np.array([c["article"] for c in claims])
    oof = np.zeros(len(texts))
    for train, test in GroupKFold(5).split(texts, y, groups):
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        model.fit(vec.fit_transform([texts[i] for i in train]), y[train])
        oof[test] = model.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
    rows = [{"auc": round(float(roc_auc_score(y, oof)), 3), "claims": len(y),
             "share_now": round(float(y.mean()), 4)}]
    for q in (0.95, 0.9, 0.85, 0.8, 0.7, 0.5):
        t = float(np.quantile(oof, q))
        kept = oof < t
        rows.append({"withhold_top": round(1 - q, 2), "withheld": int((~kept).sum()),
                     "withheld_false": int((~kept & y).sum()),
                     "withheld_right": int((~kept & ~y).sum()),
                     "share_left": round(float(y[kept].mean()), 4)})
    return rows


def lemma_lexicon(claims: list[dict]) -> dict:
    """Positive rate per root lemma, and what the lemmas at a rate of at least 0.5 cover."""
    from unspin.nlp import load_spacy

    nlp = load_spacy()
    count: Counter = Counter()
    positive: Counter = Counter()
    for doc, c in zip(nlp.pipe([c["text"] for c in claims], batch_size=64), claims,
                      strict=True):
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        lemma = root.lemma_.lower() if root is not None else ""
        count[lemma] += 1
        positive[lemma] += c["attributed"]
    chosen = [lem for lem in count if count[lem] >= 4 and positive[lem] / count[lem] >= 0.5]
    moved = sum(count[lem] for lem in chosen)
    moved_false = sum(positive[lem] for lem in chosen)
    total, false = len(claims), sum(c["attributed"] for c in claims)
    return {"lemmas": len(chosen), "claims_moved": moved, "of_them_false": moved_false,
            "share_left": round((false - moved_false) / max(1, total - moved), 4),
            "examples": sorted(chosen)[:40]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("predictions", type=Path)
    args = parser.parse_args()
    claims = unattributed_claims(args.split, args.predictions)
    print(json.dumps({"anatomy": anatomy(claims)}, ensure_ascii=False))
    print(json.dumps({"gate": gate_curve(claims)}))
    print(json.dumps({"lexicon": lemma_lexicon(claims)}))


if __name__ == "__main__":
    main()
