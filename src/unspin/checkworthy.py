"""Check-worthiness of sentences: a fine-tuned MiniLM sentence classifier (ONNX Runtime).

A second small transformer beside the shared technique encoder, with the same architecture
(all-MiniLM-L6-v2, the same word-piece vocabulary) but its own weights: it was fine-tuned end
to end to say whether a sentence is worth fact-checking (CheckThat! 2024 Task 1, English), by
:mod:`unspin.train.checkworthy_recipe`.

Input: standalone sentences (strings). Each is tokenized on its own as
``[CLS] word pieces [SEP]``, truncated to ``max_length`` tokens (stored in the config, the same
as in training); the network mean-pools the hidden states of the real tokens and a linear
layer gives one logit. Output: :meth:`CheckworthyModel.score` returns ``sigmoid(logit)``, a
probability in [0, 1] per sentence; a sentence is check-worthy when its probability is at
least :attr:`CheckworthyModel.threshold` (chosen on a validation split, see the config's
``threshold_protocol``).

The ONNX file runs its MatMuls in int8 (see
:func:`unspin.train.checkworthy_recipe.quantize_model`): their activations are quantised at run
time over a call's whole input, so sentences sharing a call, and their padding, would move one
another's scores. Each sentence is therefore read in a call of its own, unpadded: its score
depends on that sentence alone, and on CPU that is also the fastest way (docs/benchmarks.md,
"Throughput"). Nothing here needs torch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

NAME = "checkworthy"
ONNX_FILE = "checkworthy.onnx"
CONFIG_FILE = "checkworthy_config.json"
TOKENIZER_FILE = "tokenizer.json"  # the MiniLM vocabulary shipped beside the technique model
CLS_ID = 101
SEP_ID = 102
PAD_ID = 0
DEFAULT_MAX_LENGTH = 64


def make_tokenizer(path: str | Path):
    """A ``tokenizers.Tokenizer`` from ``path`` with padding and truncation off (this module
    adds the special tokens and truncates itself, identically in training and inference)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def encode_texts(tokenizer, texts: Sequence[str], max_length: int) -> list[list[int]]:
    """Token ids of each text: ``[CLS]`` + its first ``max_length - 2`` word pieces + ``[SEP]``.
    An empty text gives ``[CLS, SEP]``."""
    if max_length < 3:
        raise ValueError(f"max_length must be at least 3, got {max_length}")
    encodings = tokenizer.encode_batch([str(t) for t in texts], add_special_tokens=False)
    return [[CLS_ID, *e.ids[: max_length - 2], SEP_ID] for e in encodings]


def pad_ids(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """``input_ids`` and ``attention_mask``, int64 [len(rows), longest row], padded with 0."""
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return ids, mask


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


class CheckworthyModel:
    """The check-worthiness classifier: an ONNX session, its tokenizer and its config.

    ``threads`` sets ONNX Runtime's intra-op threads (None: its default, all cores)."""

    def __init__(self, onnx_path: str | Path, tokenizer_path: str | Path, config: dict,
                 threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = make_tokenizer(tokenizer_path)
        self.config = dict(config)
        self.threshold = float(config["threshold"])
        self.max_length = int(config.get("max_length", DEFAULT_MAX_LENGTH))

    @classmethod
    def load(cls, model_dir: str | Path | None = None,
             threads: int | None = None) -> CheckworthyModel:
        """Load ``checkworthy.onnx``, ``checkworthy_config.json`` and ``tokenizer.json`` from
        ``model_dir`` (default: the package's ``unspin/models``) after checking their sha256
        against the manifest's ``checkworthy`` entry; ModelError if absent or corrupted."""
        from unspin.models import MODELS_DIR, model_file

        model_dir = Path(model_dir) if model_dir is not None else MODELS_DIR
        config = json.loads(model_file(NAME, CONFIG_FILE, model_dir).read_text("utf-8"))
        return cls(model_file(NAME, ONNX_FILE, model_dir),
                   model_file(NAME, TOKENIZER_FILE, model_dir), config, threads=threads)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The network's logit per text: float32 [len(texts)], one text a call (see the module
        docstring: a call's activations are quantised together)."""
        rows = encode_texts(self.tokenizer, list(texts), self.max_length)
        out = np.zeros(len(rows), dtype=np.float32)
        for i, row in enumerate(rows):
            ids, mask = pad_ids([row])
            (logit,) = self.session.run(["logit"], {"input_ids": ids, "attention_mask": mask})
            out[i] = float(np.asarray(logit).reshape(-1)[0])
        return out

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Check-worthiness probability of each text: float32 [len(texts)] in [0, 1]."""
        return _sigmoid(self.logits(texts)).astype(np.float32)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Bool [len(texts)]: probability at least :attr:`threshold`."""
        return self.score(texts) >= self.threshold

    def score_texts(self, encode, texts: Sequence[str]) -> np.ndarray:
        """Same as :meth:`score`; ``encode`` is ignored. Lets this model stand in for
        :class:`unspin.claims.ClaimModel` where a caller passes the shared encoder's
        ``encode`` (``unspin.evaluate.heads_eval.evaluate_checkworthy(model=...)``)."""
        return self.score(texts)
