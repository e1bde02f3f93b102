"""Would a fine-tuned token tagger read PolNeAR's attributions well enough to close the "no
source" gap? One held-out fold, settings fixed in advance, nothing shipped.

The experiment behind the next step for issue 16 (``docs/benchmarks.md``, "Sourcing flags",
sixth round). all-MiniLM-L6-v2 (the pinned base weights, :func:`unspin.train.techniques.
base_model_dir`) is fine-tuned to tag, for every word piece, whether it lies in the content,
the cue or the source of a gold relation with a source (three independent sigmoids), on the
PolNeAR train articles of the development part (``sha256(name) % 5 != 0``) outside one fold;
the fold (the articles with ``hash_bucket(name + "/fold") == 0``) is held out. On the held-out
fold, each sentence the rules leave ``unattributed`` is called attributed by the tagger when
the mean content probability of its word pieces is at least one half (as the gold counts a
sentence attributed when half its words lie in a relation's content). Reported: the share of
the rules' "unattributed" verdicts that lie inside a gold attribution, before and after, and
how many verdicts the tagger moves, how many of them rightly.

Fixed in advance, not tuned: 128-piece windows of whole sentences (:func:`unspin.encoder.
build_windows`), one epoch over at most 4,000 training windows (drawn with the seed; about
two thirds of them; a step of 16 windows takes about 2 s on two cores), learning rate 5e-5 with
6% warm-up then linear decay, batch 16, seed 13. Needs the train extra (torch, transformers);
about 15 minutes on two cores::

    python benchmarks/attribution_tagger.py ../shared/data/polnear/train
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from pathlib import Path

import numpy as np

from unspin.encoder import Unit, build_windows, pad_batch
from unspin.train.split import hash_bucket, in_lockbox

log = logging.getLogger(__name__)

SEED = 13
EPOCHS = 1
MAX_TRAIN_WINDOWS = 4000
LR = 5e-5
BATCH = 16
ROLES = ("content", "cue", "source")


def sentence_units(article, nlp) -> tuple[list, list]:
    """The article's sentences as encoder units, and for each whether the rules leave it
    unattributed (read as ``unspin eval flags`` reads the article)."""
    from unspin.article import parse_text
    from unspin.attribution import attribute_claims
    from unspin.evaluate.polnear import _same_length_newlines
    from unspin.pipeline import MAX_ANALYSED_CHARS, MAX_ANALYSED_TOKENS
    from unspin.stages import Analysis, Attribution, Mentions, Parsing, Reading

    text = _same_length_newlines(article.text)
    parsed = parse_text(text)
    if parsed.text != text:
        return [], []
    analysis = Analysis(parsed)
    for stage in (Reading(MAX_ANALYSED_CHARS), Parsing(nlp, MAX_ANALYSED_TOKENS), Mentions(),
                  Attribution()):
        stage.run(analysis)
    sentences = analysis.sentences
    kinds = attribute_claims(sentences, analysis.relations, analysis.hedges, analysis.text,
                             analysis.quotes())
    units = [Unit(s.start, s.end) for s in sentences]
    return units, [k.kind == "unattributed" for k in kinds]


def token_labels(window, relations) -> np.ndarray:
    """[pieces, 3]: whether each word piece lies in a gold content, cue or source (of a
    relation with a source)."""
    out = np.zeros((len(window.ids), len(ROLES)), dtype=np.float32)
    spans = [[], [], []]
    for rel in relations:
        if rel.source:
            spans[0].extend(rel.content)
            spans[1].extend(rel.cue)
            spans[2].extend(rel.source)
    for i, (a, b) in enumerate(window.offsets):
        if a == b:
            continue
        for r in range(len(ROLES)):
            out[i, r] = any(s < b and a < e for s, e in spans[r])
    return out


def build(articles, nlp, tokenizer) -> list[dict]:
    """Per article: its windows, their labels, its units and which are rule-unattributed."""
    from unspin.evaluate.flags import GoldIndex

    out = []
    for k, article in enumerate(articles, 1):
        units, unattributed = sentence_units(article, nlp)
        if not units:
            continue
        text = article.text
        windows = build_windows(tokenizer, text, units)
        gold = GoldIndex.build(text, article.relations)
        status = [gold.status(u.start, u.end) in ("named", "anonymous") for u in units]
        out.append({"name": article.name, "windows": windows,
                    "labels": [token_labels(w, article.relations) for w in windows],
                    "unattributed": unattributed, "attributed": status})
        if k % 100 == 0:
            log.info("built %d articles", k)
    return out


def train(items: list[dict]):
    """Fine-tune the base encoder with a 3-sigmoid token head on ``items``' windows."""
    import torch
    from torch import nn
    from transformers import AutoModel

    from unspin.train.techniques import base_model_dir

    random.seed(SEED)
    torch.manual_seed(SEED)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base_model_dir()))
            self.head = nn.Linear(self.bert.config.hidden_size, len(ROLES))

        def forward(self, ids, mask):
            return self.head(self.bert(input_ids=ids, attention_mask=mask).last_hidden_state)

    net = Net()
    examples = [(w, y) for it in items for w, y in zip(it["windows"], it["labels"], strict=True)]
    examples = random.Random(SEED).sample(examples, min(len(examples), MAX_TRAIN_WINDOWS))
    steps = math.ceil(len(examples) / BATCH) * EPOCHS
    warm = max(1, int(0.06 * steps))
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    rng = random.Random(SEED)
    net.train()
    started = time.time()
    for epoch in range(EPOCHS):
        rng.shuffle(examples)
        for n in range(0, len(examples), BATCH):
            batch = examples[n:n + BATCH]
            ids, mask = pad_batch([w for w, _ in batch])
            y = np.zeros((len(batch), ids.shape[1], len(ROLES)), dtype=np.float32)
            for i, (_, lab) in enumerate(batch):
                y[i, : len(lab)] = lab
            logits = net(torch.from_numpy(ids), torch.from_numpy(mask))
            m = torch.from_numpy(mask).unsqueeze(-1).float()
            loss = (nn.functional.binary_cross_entropy_with_logits(
                logits, torch.from_numpy(y), reduction="none") * m).sum() / m.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            if (n // BATCH) % 50 == 0:
                log.info("epoch %d step %d/%d loss %.4f (%.0f s)", epoch + 1, n // BATCH,
                         len(examples) // BATCH, float(loss.detach()), time.time() - started)
    net.eval()
    return net


def sentence_scores(net, item: dict) -> list[float]:
    """Each unit's mean content probability over its word pieces."""
    import torch

    sums = np.zeros(len(item["attributed"]))
    counts = np.zeros(len(item["attributed"]))
    with torch.no_grad():
        for w in item["windows"]:
            ids, mask = pad_batch([w])
            p = torch.sigmoid(net(torch.from_numpy(ids), torch.from_numpy(mask)))[0, :, 0]
            for i, u in enumerate(w.units):
                if u >= 0:
                    sums[u] += float(p[i])
                    counts[u] += 1
    return list(sums / np.maximum(1, counts))


def share(rows: list[tuple[bool, bool]]) -> dict:
    """rows: (kept as unattributed, attributed by the annotators)."""
    kept = [a for k, a in rows if k]
    return {"unattributed": len(kept), "inside_gold": sum(kept),
            "share": round(sum(kept) / max(1, len(kept)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from tokenizers import Tokenizer

    from unspin.evaluate.polnear import read_polnear
    from unspin.nlp import load_spacy
    from unspin.train.techniques import base_model_dir

    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    articles = [a for a in read_polnear(args.split) if not in_lockbox(a.name)]
    items = build(articles, load_spacy(), tokenizer)
    held = [it for it in items if hash_bucket(it["name"] + "/fold", 5) == 0]
    net = train([it for it in items if hash_bucket(it["name"] + "/fold", 5) != 0])
    before, after, moved = [], [], [0, 0]
    for it in held:
        scores = sentence_scores(net, it)
        for un, att, s in zip(it["unattributed"], it["attributed"], scores, strict=True):
            if not un:
                continue
            before.append((True, att))
            keep = s < 0.5
            after.append((keep, att))
            if not keep:
                moved[0] += 1
                moved[1] += att
    print(json.dumps({"held_out_articles": len(held), "rules_only": share(before),
                      "with_tagger": share(after), "moved": moved[0],
                      "moved_inside_gold": moved[1]}, indent=1))


if __name__ == "__main__":
    main()
