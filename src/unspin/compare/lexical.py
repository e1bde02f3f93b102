"""Words of an article and their TF-IDF weights, against a fixed background of news.

Words: runs of three or more letters of the case-folded text (:data:`WORD`), without spaCy's
English stop words. An article's vector gives each word ``(1 + ln tf) * idf`` and is scaled to
unit length, so the dot product of two vectors is their cosine.

Why a background: inverse document frequencies taken from the articles being compared alone
depend on how many there are. With one event told three ways plus one unrelated article, the
event's own words are in three of four texts and weigh almost nothing, so the same pair of
articles scores about 0.10 in a set of 4 and 0.30 in a set of 240 (BASIL train, one event
plus one unrelated article against the whole split). The document
frequencies of a background of about 3,000 news articles (:mod:`unspin.compare._background`)
are added to those of the articles compared, so a word's weight hardly depends on the size of
the comparison, and one threshold serves 4 articles and 10,000.

    idf(w) = ln((1 + N_bg + N) / (1 + df_bg(w) + df(w)))

``df_bg`` keeps the words seen in at least :data:`MIN_BACKGROUND_DF` background articles; a
word the background lacks counts as seen in none of them (it is rare, and so telling).
"""

from __future__ import annotations

import base64
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"[^\W\d_]{3,}")
MIN_BACKGROUND_DF = 3


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.casefold() for w in STOP_WORDS)


def words(text: str) -> Counter:
    """Word counts of ``text`` (see the module docstring)."""
    stops = stop_words()
    return Counter(w for w in WORD.findall(text.casefold()) if w not in stops)


@lru_cache(maxsize=1)
def background() -> tuple[int, dict[str, int]]:
    """(number of background articles, document frequency of each kept word)."""
    from unspin.compare import _background

    raw = zlib.decompress(base64.b64decode(_background.DATA)).decode("utf-8")
    df: dict[str, int] = {}
    for line in raw.splitlines():
        count, _, names = line.partition("\t")
        for name in names.split(" "):
            if name:
                df[name] = int(count)
    return _background.ARTICLES, df


def idf_table(counts: Sequence[Counter]) -> dict[str, float]:
    """The idf of every word of ``counts`` (one Counter per article compared)."""
    n_bg, df_bg = background()
    df = Counter(w for c in counts for w in c)
    total = 1 + n_bg + len(counts)
    return {w: math.log(total / (1 + df_bg.get(w, 0) + d)) for w, d in df.items()}


def tfidf_vectors(counts: Sequence[Counter]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (word -> weight) of the articles compared."""
    idf = idf_table(counts)
    out = []
    for c in counts:
        v = {w: (1.0 + math.log(k)) * idf[w] for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        out.append({w: x / norm for w, x in v.items() if x > 0} if norm > 0 else {})
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


# --- building the background ---------------------------------------------------------------------


def background_texts(data_dir: str | Path) -> Iterable[str]:
    """The background articles under ``data_dir`` (``../shared/data``): PTC train articles,
    PolNeAR texts (train and dev) and FNC-1 train bodies; BASIL is left out (it is the
    grouping benchmark). Duplicate texts are read once."""
    import csv
    import sys

    data_dir = Path(data_dir)
    seen: set[str] = set()

    def fresh(text: str) -> bool:
        key = " ".join(text.split())[:500]
        if key in seen or not text.strip():
            return False
        seen.add(key)
        return True

    for path in sorted((data_dir / "ptc" / "train" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if fresh(text):
            yield text
    for path in sorted((data_dir / "polnear").glob("*/text/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if fresh(text):
            yield text
    bodies = data_dir / "fnc1" / "train" / "bodies.csv"
    if bodies.is_file():
        csv.field_size_limit(min(sys.maxsize, 1 << 26))
        with bodies.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                text = row.get("articleBody") or ""
                if fresh(text):
                    yield text


def write_background(data_dir: str | Path, out: str | Path | None = None) -> Path:
    """Count the document frequencies of :func:`background_texts` and write them as the module
    :mod:`unspin.compare._background` (or ``out``). Returns the path written."""
    df: Counter = Counter()
    n = 0
    for text in background_texts(data_dir):
        n += 1
        df.update(set(words(text)))
    if n == 0:
        raise FileNotFoundError(f"no background articles under {data_dir}")
    by_count: dict[int, list[str]] = {}
    for w, c in df.items():
        if c >= MIN_BACKGROUND_DF:
            by_count.setdefault(c, []).append(w)
    lines = [f"{c}\t{' '.join(sorted(ws))}" for c, ws in sorted(by_count.items(), reverse=True)]
    blob = base64.b64encode(zlib.compress("\n".join(lines).encode("utf-8"), 9)).decode("ascii")
    kept = sum(len(ws) for ws in by_count.values())
    wrapped = "\n".join(f'    "{blob[i:i + 96]}"' for i in range(0, len(blob), 96))
    path = Path(out) if out else Path(__file__).with_name("_background.py")
    path.write_text(
        '"""Background document frequencies for :mod:`unspin.compare.lexical` (generated).\n\n'
        f"{n} news articles: PTC train articles, PolNeAR texts (train and dev), FNC-1 train\n"
        f"bodies, from ../shared/data; {kept} words seen in at least {MIN_BACKGROUND_DF} of them.\n"
        "Rebuild: ``from unspin.compare.lexical import write_background;\n"
        "write_background('../shared/data')``.\n"
        "DATA: base64 of zlib-compressed lines ``<df>\\t<word> <word> ...``.\n"
        '"""\n\n'
        f"ARTICLES = {n}\n"
        f"WORDS = {kept}\n"
        f"DATA = (\n{wrapped}\n)\n",
        encoding="utf-8")
    return path
