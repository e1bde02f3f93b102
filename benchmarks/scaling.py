"""How the time and memory of `unspin analyze` grow with the size of the article.

    python benchmarks/scaling.py [--sizes 10k,100k,1m,limit] [--nospace] [--keep DIR]

Builds plain-text articles of each size from the paragraphs of ``examples/`` (names,
places and numbers varied, so that entities, quantities, claims and sources multiply as in
a long real article), runs ``python -m unspin analyze FILE --format json -o /dev/null`` in a
fresh child process per size, and prints wall seconds and peak resident memory (the child's
``ru_maxrss``) per size, then the time and memory ratios against the 100 KB run. Absolute
times are noisy on shared machines; the ratios are what to compare. ``--nospace`` adds two
runs on 1 MB lines without whitespace, junk and English words joined by underscores (each
must give a report or a one-line error: exit 0 or 2).

"limit" is the largest text unspin analyses (unspin.pipeline.MAX_ANALYSED_CHARS).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

_FIRST = ["Miriam", "Daniel", "Maria", "David", "Samuel", "Ellen", "Grace", "Tomas", "Aisha",
          "Kenji", "Laura", "Pedro", "Nadia", "Oscar", "Helen", "Victor", "Irene", "Marcus"]
_LAST = ["Okafor", "Reyes", "Alvarez", "Chen", "Ortiz", "Brooks", "Nakamura", "Haddad",
         "Novak", "Lindqvist", "Mensah", "Duarte", "Kowalski", "Fischer", "Osei", "Moreau"]
_PLACES = ["Harbour City", "Riverton", "Eastgate", "Northfield", "Port Ellis", "Westmoor",
           "Lakeside", "Bramley", "Stonebridge", "Ashford"]
_NAMES = ("Okafor", "Reyes", "Alvarez", "Chen", "Ortiz", "Brooks")
_NAME = re.compile(r"\b(Miriam Okafor|Daniel Reyes|Maria Alvarez|David Chen|Samuel Ortiz|"
                   r"Ellen Brooks|" + "|".join(_NAMES) + r")\b")
_PLACE = re.compile(r"\b(Harbour City|Riverton|Eastgate)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _paragraphs() -> list[str]:
    """The body paragraphs of the examples (title and caption lines left out)."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")]
        out += [b for b in blocks[2:] if b]
    return out


def _vary(paragraph: str, rng: random.Random) -> str:
    """The paragraph with its people, places and numbers replaced (one person per surname
    within the paragraph, so quotes stay attributed to the person named)."""
    people: dict[str, tuple[str, str]] = {}

    def person(m: re.Match) -> str:
        full = m.group(1)
        last = full.split()[-1]
        if last not in people:
            people[last] = (rng.choice(_FIRST), rng.choice(_LAST))
        first, new_last = people[last]
        return f"{first} {new_last}" if " " in full else new_last

    def number(m: re.Match) -> str:
        digits = m.group(0)
        if len(digits) == 4 and digits.startswith("20"):
            return str(rng.randint(2020, 2035))
        if len(digits) <= 2:
            return str(rng.randint(2, 28))
        value = rng.randint(2, 9) * 10 ** max(0, len(re.sub(r"\D", "", digits)) - 1)
        return f"{value:,}" if "," in digits else str(value)

    text = _NAME.sub(person, paragraph)
    text = _PLACE.sub(lambda m: rng.choice(_PLACES), text)
    return _NUMBER.sub(number, text)


def make_article(size: int, seed: int = 0) -> str:
    """A plain-text article of about ``size`` characters: a title, then varied paragraphs of
    the examples, blank-line separated."""
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    chunks = ["Port Strike and City Budget: A Long Report on Harbour City"]
    length = len(chunks[0])
    while length < size:
        chunk = _vary(rng.choice(paragraphs), rng)
        chunks.append(chunk)
        length += len(chunk) + 2
    return "\n\n".join(chunks)[:size - 1].rstrip() + "\n"


def no_space_line(size: int, english: bool = False) -> str:
    """One line of ``size`` characters without whitespace (then a line break): junk, or with
    ``english`` the words of the examples joined by underscores (it reads as English)."""
    if english:
        unit = "_".join(" ".join(_paragraphs()).split()) + "_"
    else:
        unit = "Harbour-City's_port,strike:$40million/1,200containers;"
    return (unit * (size // len(unit) + 1))[:size - 1] + "\n"


def run_child(path: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak MB (the child's ru_maxrss), exit code and last stderr line of one
    fresh `unspin analyze` process. The child is started through a fresh Python so that
    RUSAGE_CHILDREN holds only it."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'unspin', 'analyze', sys.argv[1],"
        " '--format', 'json', '-o', os.devnull], capture_output=True, text=True)\n"
        "dt = time.perf_counter() - t\n"
        "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "err = (p.stderr.strip().splitlines() or [''])[-1]\n"
        "print(f'{dt}\\t{kb}\\t{p.returncode}\\t{err}')\n"
    )
    out = subprocess.run([sys.executable, "-c", "import os\n" + code, str(path)],
                         capture_output=True, text=True, check=True).stdout.rstrip("\n")
    dt, kb, rc, err = out.split("\t", 3)
    return float(dt), int(kb) / 1024, int(rc), err


def _size(token: str) -> int:
    token = token.strip().lower()
    if token == "limit":
        from unspin.pipeline import MAX_ANALYSED_CHARS

        return MAX_ANALYSED_CHARS
    scale = {"k": 1000, "m": 1_000_000}.get(token[-1], 1)
    return int(float(token.rstrip("km")) * scale)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10k,100k,1m,limit",
                   help="comma-separated sizes in characters (k, m suffixes; 'limit')")
    p.add_argument("--nospace", action="store_true",
                   help="also 1 MB lines without spaces (junk, and English words joined by _)")
    p.add_argument("--keep", type=Path, help="write the inputs to this folder and keep them")
    args = p.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="unspin-scaling-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes: dict[int, str] = {}
    for token in args.sizes.split(","):
        sizes.setdefault(_size(token), token.strip())
    runs = [(name, make_article(size)) for size, name in sizes.items()]
    if args.nospace:
        runs.append(("1m-nospace", no_space_line(1_000_000)))
        runs.append(("1m-nospace-en", no_space_line(1_000_000, english=True)))
    rows = []
    print(f"{'input':>14} {'chars':>10} {'seconds':>9} {'peak MB':>8} {'exit':>4}  error")
    for name, text in runs:
        path = folder / f"scaling-{name}.txt"
        path.write_text(text, encoding="utf-8")
        seconds, mb, rc, err = run_child(path)
        rows.append((name, len(text), seconds, mb, rc))
        print(f"{name:>14} {len(text):>10} {seconds:>9.2f} {mb:>8.0f} {rc:>4}  "
              f"{err if rc else ''}", flush=True)
        if not args.keep:
            path.unlink()
    base = next((r for r in rows if r[0] == sizes.get(100_000) and r[4] == 0), None)
    if base is not None:
        for name, chars, seconds, mb, rc in rows:
            if rc == 0 and name != base[0]:
                print(f"{name} / {base[0]}: chars x{chars / base[1]:.1f}, "
                      f"time x{seconds / base[2]:.1f}, peak memory x{mb / base[3]:.1f}")
    if not args.keep:
        folder.rmdir()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average {load:.1f})")


if __name__ == "__main__":
    main()
