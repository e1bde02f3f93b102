"""Genre: whether an article is reporting, opinion or satire, with calibrated probabilities.

Input: the article's text and the word-piece ids of its real tokens (the encoder's windows
hold them, :func:`unspin.framing.article_token_ids`, so nothing is tokenized twice). Output: a
:class:`~unspin.report.Genre` whose label is the most probable genre: no prior correction, so
the label never contradicts the probabilities shown beside it. The head was fitted with the
three genres weighted equally (``unspin.train.genre_recipe``), so its probabilities read as
"if the genres were equally common": they do not carry SemEval's 89% share of opinion.

Features: the :mod:`unspin.style` rates (standardised; how the text is written) and hashed
TF-IDF unigrams and bigrams of the word pieces (:mod:`unspin.claims`). The encoder's hidden
states are deliberately not used: the encoder was fine-tuned on the same SemEval-2023 articles,
so a head on them would be cross-validated on features that saw its test folds. One
multinomial logistic regression (``unspin train genre``) with the standardisation and a
temperature folded into the weights, so inference is ``x @ w + b`` and a softmax in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.claims import LinearHead
from unspin.heads import softmax
from unspin.report import Genre
from unspin.style import STYLE_FEATURES, style_features
from unspin.taxonomy import GENRES

MODEL_NAME = "genre"


@dataclass
class GenreModel:
    """The genre head: style rates and hashed n-grams -> one logit per genre."""

    head: LinearHead
    genres: list[str]
    config: dict

    def __post_init__(self) -> None:
        if self.head.b.shape[0] != len(self.genres) or set(self.genres) - set(GENRES):
            raise ValueError(f"genre head with {self.head.b.shape[0]} outputs for genres "
                             f"{self.genres}")
        if self.head.w_dense.shape[0] != len(STYLE_FEATURES):
            raise ValueError(f"genre head reads {self.head.w_dense.shape[0]} style features; "
                             f"this unspin computes {len(STYLE_FEATURES)}")

    @classmethod
    def load(cls, model_dir: Path | None = None) -> GenreModel:
        """Load ``genre.npz`` and ``genre_config.json`` (hashes checked) from ``model_dir``
        (default: the package's models); ModelError if absent or corrupted."""
        import json

        from unspin.models import MODELS_DIR, model_file

        model_dir = model_dir or MODELS_DIR
        config = json.loads(model_file(MODEL_NAME, "genre_config.json", model_dir)
                            .read_text("utf-8"))
        with np.load(model_file(MODEL_NAME, "genre.npz", model_dir)) as arrays:
            head = LinearHead.from_arrays(arrays, "genre")
        return cls(head, list(config["genres"]), config)

    def probabilities(self, texts: Sequence[str], id_lists: Sequence[np.ndarray]) -> np.ndarray:
        """Genre probabilities [n, len(genres)] of ``n`` articles: their texts and word-piece
        ids."""
        dense = np.stack([style_features(t) for t in texts]) if texts else np.zeros(
            (0, len(STYLE_FEATURES)), dtype=np.float32)
        return softmax(self.head.logits(dense, id_lists)).astype(np.float32)

    def predict(self, text: str, ids: np.ndarray) -> Genre:
        """The genre of one article: the most probable label and every genre's probability."""
        probs = self.probabilities([text], [ids])[0]
        return Genre(label=self.genres[int(np.argmax(probs))],
                     scores={g: round(float(p), 4) for g, p in zip(self.genres, probs,
                                                                   strict=True)})
