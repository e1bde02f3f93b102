"""Train the headline/caption stance model (FNC-1 scheme; needs the ``train`` extra: sklearn).

Data: ``<data_dir>/fnc1/train`` (49,972 headline-body pairs over 1,683 bodies) and, as extra
training data in the same scheme, ``<data_dir>/arc/train`` (14,233 pairs, 4,448 user posts).

Protocol:

- **lockbox**: every pair whose body has ``sha256(Body ID) % 5 == 0`` (FNC-1 and ARC each by
  their own ids). No choice ever looks at it; the shipped model is scored on it once, at the end.
- **cross-validation** on the rest, 5 folds, grouped by **topic**: the connected components of
  the graph whose nodes are headlines and bodies and whose edges are the related pairs (agree,
  disagree, discuss). A body and all its related headlines fall in one fold, so no body is in
  both a fold's training and test part (grouping by Body ID alone leaves each test body's
  headline in training with the topic's other bodies, which the FNC-1 competition test set,
  on new topics, does not do). Unrelated pairs follow their body.
- **candidates**, each scored on the pooled out-of-fold predictions of the FNC-1 pairs:
  gradient-boosted trees and a logistic regression on the features of
  :mod:`unspin.consistency`, each trained on FNC-1 alone and on FNC-1 + ARC. Chosen: the best
  mean of the FNC-1 relative score and macro-F1 (the weighted score alone rewards guessing
  "discuss"), each candidate at its best **decision weights** ``w_k = prior_k ** -alpha``
  (``alpha`` on a grid, on the same out-of-fold predictions).
- **baselines** in the same folds: TF-IDF cosine of headline and body above a threshold ->
  "discuss" (the majority related class), else "unrelated" (threshold chosen on each fold's
  training part); and the issue's floor, four features (TF-IDF cosine, word overlap,
  refutation words in headline and in body) into the same trees.
- the chosen candidate is refit on all non-lockbox pairs and **ships whatever the lockbox
  says**; the lockbox scores (with 95% intervals by resampling bodies) and the baselines' are
  recorded beside the cross-validated ones.

IDF: from the non-lockbox FNC-1 bodies and headlines (no labels, so the folds share it).
Encodings: none; see :mod:`unspin.consistency` for why the shared encoder's states are not
used. Sentence splits of the bodies (spaCy) and the feature matrices are cached under
``runs/consistency-cache/`` (keyed by the data, the feature code and the IDF).

Run: ``python -m unspin.train.consistency_recipe --data ../shared/data``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin import consistency as C
from unspin.evaluate import consistency_eval as E
from unspin.train.split import LOCKBOX_BUCKET, hash_bucket

log = logging.getLogger("unspin.train")

SEED = 13
N_FOLDS = 5
ALPHAS = tuple(round(a, 2) for a in np.arange(0.0, 1.51, 0.05))
FLAG_THRESHOLD = 0.5
N_BOOTSTRAP = 2000
CACHE = Path("runs/consistency-cache")
FLOOR_FEATURES = ("cos_body", "cover", "head_refute", "body_rate_refute")


@dataclass(frozen=True)
class TreeConfig:
    learning_rate: float = 0.1
    max_iter: int = 300
    max_leaf_nodes: int = 31
    min_samples_leaf: int = 20
    l2_regularization: float = 1.0


# --- data ---------------------------------------------------------------------------------------


@dataclass
class Dataset:
    name: str
    bodies: dict[str, str]
    rows: list[E.StanceRow]
    sentences: dict[str, list[tuple[int, int]]]
    y: np.ndarray
    body: np.ndarray           # body id per row (str)
    lockbox: np.ndarray        # bool per row
    topic: np.ndarray          # topic id per row (int, unique across datasets via offsets)


def _file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_dataset(data_dir: Path, name: str, cache: Path | None, limit: int = 0,
                 seed: int = SEED) -> Dataset:
    split = Path(data_dir) / name / "train"
    bodies, rows = E.read_split(split)
    if limit:
        rng = np.random.default_rng(seed)
        keep = set(rng.choice(sorted(bodies), size=min(limit, len(bodies)), replace=False))
        bodies = {b: t for b, t in bodies.items() if b in keep}
        rows = [r for r in rows if r.body_id in keep]
    sentences = None
    key = f"sentences-{name}-{_file_hash(split / 'bodies.csv')}-{limit}.json"
    if cache is not None and (cache / key).exists():
        sentences = {b: [tuple(s) for s in v]
                     for b, v in json.loads((cache / key).read_text("utf-8")).items()}
    if sentences is None or set(sentences) != set(bodies):
        t = time.time()
        sentences = E.split_bodies(bodies, progress=True)
        log.info("%s: split %d bodies into sentences in %.0f s", name, len(bodies),
                 time.time() - t)
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            (cache / key).write_text(json.dumps(sentences), encoding="utf-8")
    y = E.label_ids([r.stance for r in rows])
    body = np.asarray([r.body_id for r in rows])
    lockbox = np.asarray([hash_bucket(b) == LOCKBOX_BUCKET for b in body])
    return Dataset(name, bodies, rows, sentences, y, body, lockbox, topics(rows))


def topics(rows: list[E.StanceRow]) -> np.ndarray:
    """Per row, the topic of its body: the connected component of its body in the graph of
    related pairs (headline - body edges)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    heads = {h: i for i, h in enumerate(sorted({r.headline for r in rows}))}
    bodies = {b: i + len(heads) for i, b in enumerate(sorted({r.body_id for r in rows}))}
    edges = np.asarray([(heads[r.headline], bodies[r.body_id]) for r in rows
                        if r.stance != "unrelated"], dtype=np.int64).reshape(-1, 2)
    n = len(heads) + len(bodies)
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    return np.asarray([label[bodies[r.body_id]] for r in rows], dtype=np.int64)


def assign_folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold (0..k-1) per row: whole groups, shuffled with ``seed``, then each put in the fold
    with the fewest rows so far (largest groups first)."""
    uniq, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(uniq))
    order = order[np.argsort(-counts[order], kind="stable")]
    load = np.zeros(k)
    fold_of = np.zeros(len(uniq), dtype=np.int64)
    for g in order:
        f = int(np.argmin(load))
        fold_of[g] = f
        load[f] += counts[g]
    return fold_of[inverse]


def fit_idf(fnc: Dataset) -> C.Idf:
    """IDF over the non-lockbox FNC-1 bodies and distinct headlines."""
    keep_bodies = sorted({b for b, lb in zip(fnc.body, fnc.lockbox, strict=True) if not lb})
    heads = sorted({r.headline for r, lb in zip(fnc.rows, fnc.lockbox, strict=True) if not lb})
    docs = [C.words_of(fnc.bodies[b]).content for b in keep_bodies]
    docs += [C.words_of(h).content for h in heads]
    return C.Idf.fit(docs)


def feature_matrix(ds: Dataset, idf: C.Idf, cache: Path | None) -> np.ndarray:
    """Features of every pair of ``ds`` (cached by data, feature code and IDF)."""
    code = Path(C.__file__).read_bytes()
    h = hashlib.sha256(code)
    h.update(json.dumps(idf.to_json(), sort_keys=True).encode())
    h.update(json.dumps(ds.sentences, sort_keys=True).encode())
    h.update("\n".join(f"{r.headline}\t{r.body_id}" for r in ds.rows).encode())
    key = f"features-{ds.name}-{h.hexdigest()[:16]}.npy"
    if cache is not None and (cache / key).exists():
        return np.load(cache / key)
    t = time.time()
    index = {b: C.index_body(ds.bodies[b], ds.sentences[b], idf) for b in ds.bodies}
    words: dict[str, C.Words] = {}
    X = np.zeros((len(ds.rows), len(C.FEATURES)))
    for i, r in enumerate(ds.rows):
        w = words.get(r.headline)
        if w is None:
            w = words[r.headline] = C.words_of(r.headline)
        X[i] = C.pair_features(w, index[r.body_id], idf)
    log.info("%s: features of %d pairs in %.0f s", ds.name, len(ds.rows), time.time() - t)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / key, X)
    return X


# --- models -------------------------------------------------------------------------------------


def fit_trees(X: np.ndarray, y: np.ndarray, seed: int, config: TreeConfig = TreeConfig()):
    """HistGradientBoostingClassifier on one OpenMP thread: on 2 shared cores a second thread
    made a fit 4 to 8 times slower (threads spinning against the other processes)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    clf = HistGradientBoostingClassifier(
        learning_rate=config.learning_rate, max_iter=config.max_iter,
        max_leaf_nodes=config.max_leaf_nodes, min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2_regularization, early_stopping=False, random_state=seed)
    with threadpool_limits(limits=1):
        clf.fit(X, y)
    return clf


def fit_logreg(X: np.ndarray, y: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000,
                                                             random_state=seed))
    with threadpool_limits(limits=1):
        clf.fit(X, y)
    return clf


def export_trees(clf) -> C.TreeEnsemble:
    """The trees of a fitted HistGradientBoostingClassifier as a :class:`TreeEnsemble`."""
    parts: dict[str, list] = {k: [] for k in ("feature", "threshold", "missing_left", "left",
                                              "right", "leaf", "value")}
    roots, classes = [], []
    offset = 0
    depth = 0
    for iteration in clf._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if np.any(nodes["is_categorical"]):
                raise ValueError("categorical splits are not supported")
            leaf = nodes["is_leaf"].astype(bool)
            roots.append(offset)
            classes.append(k)
            parts["feature"].append(nodes["feature_idx"].astype(np.int64))
            parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            parts["left"].append(np.where(leaf, 0, nodes["left"].astype(np.int64) + offset))
            parts["right"].append(np.where(leaf, 0, nodes["right"].astype(np.int64) + offset))
            parts["leaf"].append(leaf)
            parts["value"].append(np.where(leaf, nodes["value"], 0.0).astype(np.float64))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    arrays = {k: np.concatenate(v) for k, v in parts.items()}
    arrays.update(root=np.asarray(roots), tree_class=np.asarray(classes),
                  baseline=np.asarray(clf._baseline_prediction, dtype=np.float64).ravel(),
                  depth=np.asarray(depth))
    return C.TreeEnsemble(arrays)


def decision_weights(prior: np.ndarray, alpha: float) -> np.ndarray:
    w = np.asarray(prior, dtype=np.float64) ** -alpha
    return w / w.max()


def objective(s: dict) -> float:
    """What the choices maximise: the mean of the FNC-1 relative score and macro-F1."""
    return 0.5 * (s["fnc_score"] + s["macro_f1"])


def best_alpha(probs: np.ndarray, y: np.ndarray, prior: np.ndarray) -> tuple[float, dict]:
    best = None
    for a in ALPHAS:
        pred = np.argmax(probs * decision_weights(prior, a), axis=1)
        s = E.scores(pred, y)
        if best is None or objective(s) > objective(best[1]) + 1e-9:
            best = (a, s)
    return best


def _short(s: dict) -> dict:
    return {"fnc_score": round(s["fnc_score"], 4), "macro_f1": round(s["macro_f1"], 4),
            "f1": {k: round(v, 4) for k, v in s["f1"].items()}}


def cosine_baseline(train_cos: np.ndarray, train_y: np.ndarray, test_cos: np.ndarray
                    ) -> np.ndarray:
    """TF-IDF cosine above a threshold (the best FNC-1 score on the training part) ->
    discuss, else unrelated."""
    discuss, unrelated = E.LABELS.index("discuss"), E.LABELS.index("unrelated")
    best_t, best_s = 0.0, -1.0
    for t in np.unique(np.round(np.quantile(train_cos, np.linspace(0.3, 0.95, 131)), 4)):
        pred = np.where(train_cos >= t, discuss, unrelated)
        s = float(E.fnc_from_confusion(E.confusion(pred, train_y)))
        if s > best_s:
            best_t, best_s = float(t), s
    return np.where(test_cos >= best_t, discuss, unrelated), best_t


# --- protocol -----------------------------------------------------------------------------------


def train_consistency(data_dir: Path, model_dir: Path, command: str, seed: int = SEED, *,
                      limit: int = 0, cache: Path | None = CACHE, with_arc: bool = True,
                      body_cv: bool = True, work_dir: Path | None = None) -> dict:
    """Run the protocol of the module docstring; write ``consistency.npz`` and
    ``consistency_config.json`` into ``model_dir`` with their manifest entry; return the report
    (also written to ``work_dir/report.json``). ``limit`` > 0 keeps at most that many bodies of
    each dataset (smoke runs: the scores then mean little). ``with_arc=False`` skips ARC."""
    from unspin.models import write_manifest_entry

    started = time.time()
    data_dir, model_dir = Path(data_dir), Path(model_dir)
    work_dir = Path(work_dir) if work_dir else Path("runs") / "consistency"
    work_dir.mkdir(parents=True, exist_ok=True)
    timing: dict[str, float] = {}

    t = time.time()
    fnc = load_dataset(data_dir, "fnc1", cache, limit, seed)
    arc = None
    if with_arc and (data_dir / "arc" / "train" / "stances.csv").exists():
        arc = load_dataset(data_dir, "arc", cache, limit, seed)
        arc.topic = arc.topic + int(fnc.topic.max()) + 1
    timing["data_and_sentences"] = time.time() - t
    t = time.time()
    idf = fit_idf(fnc)
    X_fnc = feature_matrix(fnc, idf, cache)
    X_arc = feature_matrix(arc, idf, cache) if arc is not None else None
    timing["features"] = time.time() - t

    # folds over the non-lockbox rows of both datasets, grouped by topic
    pool_f = ~fnc.lockbox
    fold_f = np.full(len(fnc.rows), -1)
    fold_f[pool_f] = assign_folds(fnc.topic[pool_f], N_FOLDS, seed)
    if arc is not None:
        pool_a = ~arc.lockbox
        fold_a = np.full(len(arc.rows), -1)
        fold_a[pool_a] = assign_folds(arc.topic[pool_a], N_FOLDS, seed)
    report: dict = {
        "protocol": __doc__.split("Protocol:")[1].split("IDF:")[0].strip(),
        "sizes": {"fnc1_pairs": len(fnc.rows), "fnc1_lockbox_pairs": int(fnc.lockbox.sum()),
                  "fnc1_bodies": len(fnc.bodies),
                  "fnc1_lockbox_bodies": int(len(set(fnc.body[fnc.lockbox]))),
                  "fnc1_topics": int(len(np.unique(fnc.topic)))},
        "features": list(C.FEATURES), "tree_config": TreeConfig().__dict__,
        "alphas": list(ALPHAS), "limit": limit, "seed": seed,
    }
    if arc is not None:
        report["sizes"].update(arc_pairs=len(arc.rows), arc_lockbox_pairs=int(arc.lockbox.sum()))

    prior = np.bincount(fnc.y[pool_f], minlength=4) / pool_f.sum()
    cand_names = ["trees", "logreg"]
    use_arc_options = [False, True] if arc is not None else [False]
    oof: dict[tuple[str, bool], np.ndarray] = {}
    oof_arc: dict[tuple[str, bool], np.ndarray] = {}
    base_pred = np.full(len(fnc.rows), -1)
    floor_prob = np.zeros((len(fnc.rows), 4))
    floor_idx = [C.FEATURES.index(f) for f in FLOOR_FEATURES]
    t = time.time()
    for f in range(N_FOLDS):
        tr, te = pool_f & (fold_f != f), pool_f & (fold_f == f)
        cos = X_fnc[:, C.FEATURES.index("cos_body")]
        base_pred[te], _ = cosine_baseline(cos[tr], fnc.y[tr], cos[te])
        floor_prob[te] = fit_trees(X_fnc[tr][:, floor_idx], fnc.y[tr], seed).predict_proba(
            X_fnc[te][:, floor_idx])
        for use_arc in use_arc_options:
            Xtr, ytr = X_fnc[tr], fnc.y[tr]
            if use_arc:
                tra = pool_a & (fold_a != f)
                Xtr, ytr = np.vstack([Xtr, X_arc[tra]]), np.concatenate([ytr, arc.y[tra]])
            for name in cand_names:
                clf = (fit_trees if name == "trees" else fit_logreg)(Xtr, ytr, seed)
                key = (name, use_arc)
                oof.setdefault(key, np.zeros((len(fnc.rows), 4)))[te] = clf.predict_proba(
                    X_fnc[te])
                if arc is not None:
                    tea = pool_a & (fold_a == f)
                    oof_arc.setdefault(key, np.zeros((len(arc.rows), 4)))[tea] = \
                        clf.predict_proba(X_arc[tea])
        log.info("fold %d done (%.0f s)", f, time.time() - t)
    timing["cross_validation"] = time.time() - t

    yp = fnc.y[pool_f]
    clusters = fnc.body[pool_f]
    cv: dict = {}
    for key, probs in oof.items():
        name = f"{key[0]}{'+arc' if key[1] else ''}"
        alpha, s = best_alpha(probs[pool_f], yp, prior)
        entry = {"alpha": alpha, "fnc1": _short(s),
                 "fnc1_argmax": _short(E.scores(np.argmax(probs[pool_f], axis=1), yp))}
        if arc is not None:
            pa = oof_arc[key][pool_a]
            entry["arc_at_same_alpha"] = _short(E.scores(
                np.argmax(pa * decision_weights(prior, alpha), axis=1), arc.y[pool_a]))
        cv[name] = entry
    a_floor, s_floor = best_alpha(floor_prob[pool_f], yp, prior)
    cv["baseline_cosine_threshold_discuss"] = {"fnc1": _short(E.scores(base_pred[pool_f], yp))}
    cv["baseline_issue_floor_4_features_trees"] = {"alpha": a_floor, "fnc1": _short(s_floor)}
    chosen = max(oof, key=lambda k: objective(cv[f"{k[0]}{'+arc' if k[1] else ''}"]["fnc1"]))
    chosen_name = f"{chosen[0]}{'+arc' if chosen[1] else ''}"
    alpha = cv[chosen_name]["alpha"]
    weights = decision_weights(prior, alpha)
    oof_pred = np.argmax(oof[chosen][pool_f] * weights, axis=1)
    cv_detail = E.scores(oof_pred, yp)
    cv_detail.update(E.bootstrap(oof_pred, yp, clusters, N_BOOTSTRAP, seed,
                                 other=base_pred[pool_f]))
    base_detail = E.scores(base_pred[pool_f], yp)
    base_detail.update(E.bootstrap(base_pred[pool_f], yp, clusters, N_BOOTSTRAP, seed))
    report["cross_validation"] = {
        "folds": N_FOLDS, "grouped_by": "topic (connected components of related pairs)",
        "candidates": cv, "chosen": chosen_name, "alpha": alpha,
        "decision_weights": [round(float(w), 6) for w in weights],
        "chosen_oof": cv_detail, "baseline_cosine_oof": base_detail,
        "flags_at_threshold": _flag_stats(oof[chosen][pool_f], oof_pred, yp),
    }
    log.info("cv: %s", json.dumps({k: v["fnc1"] for k, v in cv.items()}))
    log.info("chosen %s alpha %.2f", chosen_name, alpha)
    if body_cv:
        t = time.time()
        report["cross_validation_by_body"] = _body_cv(
            fnc, X_fnc, arc if chosen[1] else None, X_arc, chosen[0], weights, seed)
        timing["cross_validation_by_body"] = time.time() - t
        log.info("cv by body: %s", json.dumps(_short(report["cross_validation_by_body"])))

    # the shipped model: all non-lockbox pairs
    t = time.time()
    Xtr, ytr = X_fnc[pool_f], fnc.y[pool_f]
    if chosen[1]:
        Xtr, ytr = np.vstack([Xtr, X_arc[pool_a]]), np.concatenate([ytr, arc.y[pool_a]])
    if chosen[0] != "trees":
        raise NotImplementedError("only the tree ensemble ships; logistic regression was chosen "
                                  "by cross-validation, extend ConsistencyModel to ship it")
    clf = fit_trees(Xtr, ytr, seed)
    trees = export_trees(clf)
    check = np.abs(trees.proba(X_fnc[:2000]) - clf.predict_proba(X_fnc[:2000])).max()
    if check > 1e-6:
        raise AssertionError(f"exported trees disagree with sklearn by {check:g}")
    timing["final_fit"] = time.time() - t
    cos = X_fnc[:, C.FEATURES.index("cos_body")]
    lock = fnc.lockbox
    base_lock, base_t = cosine_baseline(cos[pool_f], fnc.y[pool_f], cos[lock])
    lock_probs = trees.proba(X_fnc[lock])
    lock_pred = np.argmax(lock_probs * weights, axis=1)
    lock_scores = E.scores(lock_pred, fnc.y[lock])
    lock_scores.update(E.bootstrap(lock_pred, fnc.y[lock], fnc.body[lock], N_BOOTSTRAP, seed,
                                   other=base_lock))
    base_lock_scores = E.scores(base_lock, fnc.y[lock])
    base_lock_scores.update(E.bootstrap(base_lock, fnc.y[lock], fnc.body[lock], N_BOOTSTRAP,
                                        seed))
    report["lockbox"] = {"fnc1": lock_scores, "baseline_cosine": base_lock_scores,
                         "baseline_threshold": base_t,
                         "flags_at_threshold": _flag_stats(lock_probs, lock_pred, fnc.y[lock])}
    if arc is not None:
        al = arc.lockbox
        a_pred = np.argmax(trees.proba(X_arc[al]) * weights, axis=1)
        a_scores = E.scores(a_pred, arc.y[al])
        a_scores.update(E.bootstrap(a_pred, arc.y[al], arc.body[al], N_BOOTSTRAP, seed))
        report["lockbox"]["arc"] = a_scores
    log.info("lockbox: %s", json.dumps(_short(lock_scores)))

    # files
    np.savez_compressed(model_dir / C.TREES_FILE, **trees.arrays())
    config = {
        "name": C.NAME, "task": "stance of a headline or caption against the article body "
                                "(FNC-1: agree, disagree, discuss, unrelated)",
        "labels": list(C.LABELS), "features": list(C.FEATURES),
        "decision_weights": [round(float(w), 6) for w in weights],
        "decision": "argmax of probability * decision weight; weights = prior ** -alpha "
                    "(prior: FNC-1 non-lockbox class shares), alpha chosen by cross-validation",
        "alpha": alpha, "prior": [round(float(p), 6) for p in prior],
        "flag_threshold": FLAG_THRESHOLD, "evidence": 2,
        "model": chosen_name, "tree_config": TreeConfig().__dict__,
        "idf": idf.to_json(),
    }
    (model_dir / C.CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    timing["total"] = time.time() - started
    report["seconds"] = {k: round(v, 1) for k, v in timing.items()}
    info = {
        "data": ["../shared/data/fnc1/train (pairs whose sha256(Body ID) % 5 != 0; the rest is "
                 "the lockbox, scored once)"]
                + (["../shared/data/arc/train (same scheme and lockbox rule)"]
                   if chosen[1] else []),
        "command": command, "seed": seed, "model": chosen_name,
        "trees": int(len(trees.root)), "nodes": int(len(trees.leaf)),
        "scores": {
            "cv_fnc_score": round(cv_detail["fnc_score"], 4),
            "cv_fnc_score_ci95": cv_detail["fnc_score_ci95"],
            "cv_macro_f1": round(cv_detail["macro_f1"], 4),
            "cv_macro_f1_ci95": cv_detail["macro_f1_ci95"],
            "cv_f1": {k: round(v, 4) for k, v in cv_detail["f1"].items()},
            "lockbox_fnc_score": round(lock_scores["fnc_score"], 4),
            "lockbox_fnc_score_ci95": lock_scores["fnc_score_ci95"],
            "lockbox_macro_f1": round(lock_scores["macro_f1"], 4),
            "lockbox_macro_f1_ci95": lock_scores["macro_f1_ci95"],
            "lockbox_f1": {k: round(v, 4) for k, v in lock_scores["f1"].items()},
            "baseline_cosine_cv": _short(base_detail),
            "baseline_cosine_lockbox": _short(base_lock_scores),
            "baseline_issue_floor_cv": cv["baseline_issue_floor_4_features_trees"]["fnc1"],
            **({"cv_by_body_id": _short(report["cross_validation_by_body"]),
                "cv_by_body_id_ci95": {k: report["cross_validation_by_body"][k]
                                       for k in ("fnc_score_ci95", "macro_f1_ci95")}}
               if "cross_validation_by_body" in report else {}),
            "candidates_cv": {k: {"fnc_score": v["fnc1"]["fnc_score"],
                                  "macro_f1": v["fnc1"]["macro_f1"]}
                              for k, v in cv.items() if "alpha" in v},
            **({"arc_lockbox": _short(report["lockbox"]["arc"])}
               if "arc" in report["lockbox"] else {}),
        },
        "cv": "5 folds grouped by topic over the non-lockbox FNC-1 pairs",
        "training_seconds": report["seconds"]["total"],
        "limit": limit,
    }
    report["manifest"] = write_manifest_entry(model_dir, C.NAME, [C.TREES_FILE, C.CONFIG_FILE],
                                              info)
    (work_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _body_cv(fnc: Dataset, X: np.ndarray, arc: Dataset | None, X_arc: np.ndarray | None,
             name: str, weights: np.ndarray, seed: int) -> dict:
    """Out-of-fold scores of one candidate in 5 folds grouped by Body ID only (the grouping
    the lockbox has: its headlines are in training with other bodies), at fixed weights."""
    pool = ~fnc.lockbox
    fold = np.full(len(fnc.rows), -1)
    fold[pool] = assign_folds(fnc.body[pool], N_FOLDS, seed)
    probs = np.zeros((len(fnc.rows), 4))
    for f in range(N_FOLDS):
        tr, te = pool & (fold != f), pool & (fold == f)
        Xtr, ytr = X[tr], fnc.y[tr]
        if arc is not None:
            Xtr = np.vstack([Xtr, X_arc[~arc.lockbox]])
            ytr = np.concatenate([ytr, arc.y[~arc.lockbox]])
        clf = (fit_trees if name == "trees" else fit_logreg)(Xtr, ytr, seed)
        probs[te] = clf.predict_proba(X[te])
    pred = np.argmax(probs[pool] * weights, axis=1)
    out = E.scores(pred, fnc.y[pool])
    out.update(E.bootstrap(pred, fnc.y[pool], fnc.body[pool], N_BOOTSTRAP, seed))
    return out


def _flag_stats(probs: np.ndarray, pred: np.ndarray, y: np.ndarray) -> dict:
    """Precision and recall of the mismatch flag (verdict disagree or unrelated with p >=
    FLAG_THRESHOLD) against gold disagree-or-unrelated, per kind."""
    out = {"threshold": FLAG_THRESHOLD}
    for name in C.MISMATCH:
        k = C.LABELS.index(name)
        flagged = (pred == k) & (probs[:, k] >= FLAG_THRESHOLD)
        gold = y == k
        tp = int((flagged & gold).sum())
        out[name] = {"flagged": int(flagged.sum()), "gold": int(gold.sum()),
                     "precision": round(tp / max(int(flagged.sum()), 1), 4),
                     "recall": round(tp / max(int(gold.sum()), 1), 4)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--model-dir", type=Path,
                        default=Path(__file__).resolve().parents[1] / "models")
    parser.add_argument("--work-dir", type=Path, default=Path("runs/consistency"))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-arc", action="store_true")
    parser.add_argument("--no-body-cv", action="store_true",
                        help="skip the extra cross-validation grouped by Body ID only")
    parser.add_argument("--limit", type=int, default=0,
                        help="smoke runs: at most this many bodies per dataset")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    command = "python -m unspin.train.consistency_recipe " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    report = train_consistency(args.data, args.model_dir, command, args.seed, limit=args.limit,
                               cache=args.cache, with_arc=not args.no_arc,
                               body_cv=not args.no_body_cv, work_dir=args.work_dir)
    print(json.dumps({k: report[k] for k in ("cross_validation", "lockbox", "seconds")},
                     indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
