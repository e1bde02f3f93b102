"""The README's sample output is what the tool prints today.

The shipped models run int8 kernels, and ONNX Runtime picks them by CPU (VNNI or AMX where
the CPU has them, plain AVX2 where it does not), so a score can move by a hundredth and a
technique span near its threshold can start or nest differently from one machine to another
(seen here: the headline's "Reckless" as Name calling alone, or "Reckless Union"). The
comparison therefore reads both texts as words (so a line may wrap elsewhere), ignores where
technique and quantity markup opens and closes (the words themselves must match), and lets
scores differ by at most 0.02.
Everything else (claim numbers, labels, flags, sources, the wording) must match exactly.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "unspin analyze examples/port_strike.txt --format text --no-color"
SCORE_TOLERANCE = 0.02
_MARKUP = re.compile(r"\[[A-Za-z][A-Za-z ]*:(?=\s|$)|\]")
_SCORE = re.compile(r"\(?(\d\.\d\d)\)?")


def readme_lines() -> list[list[str]]:
    """The words of each line of the README's sample, without the command and the "..."
    elisions; the sample may leave lines out, so each line is matched on its own, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```\n\$ " + re.escape(COMMAND) + r"\n(.*?)```", readme, re.S)
    assert match, "the README has no sample of " + COMMAND
    lines = [words(line.rstrip().removesuffix(" ...")) for line in match.group(1).splitlines()]
    return [line for line in lines if line and line != ["..."]]


def words(text: str) -> list[str]:
    """``text`` without technique markup, split on white space."""
    return _MARKUP.sub("", text).split()


def same_word(expected: str, printed: str) -> bool:
    """Equal words, or the same score within :data:`SCORE_TOLERANCE`."""
    if expected == printed:
        return True
    a, b = _SCORE.fullmatch(expected), _SCORE.fullmatch(printed)
    return bool(a and b) and expected.replace(a.group(1), b.group(1)) == printed and \
        abs(float(a.group(1)) - float(b.group(1))) <= SCORE_TOLERANCE + 1e-9


def find_run(run: list[str], printed: list[str], start: int) -> int | None:
    """Where ``run`` first occurs in ``printed`` at or after ``start``, word for word."""
    for i in range(start, len(printed) - len(run) + 1):
        if all(same_word(w, printed[i + k]) for k, w in enumerate(run)):
            return i
    return None


def test_same_word_allows_only_small_score_differences() -> None:
    assert same_word("(0.84)", "(0.85)") and same_word("0.89", "0.90")
    assert not same_word("(0.84)", "(0.88)") and not same_word("C7", "C8")
    assert words("[qty:\n$40 million]") == ["$40", "million"]
    assert words("{C1} [Loaded language: [Name calling labeling: Reckless]] Union") == \
        words("{C1} [Name calling labeling: [Loaded language: Reckless] Union]")


def test_readme_sample_is_what_analyze_prints() -> None:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "unspin", *COMMAND.split()[1:]], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    printed = words(out)
    position = 0
    for run in readme_lines():
        found = find_run(run, printed, position)
        assert found is not None, f"README text not printed (in this order): {' '.join(run)!r}"
        position = found + len(run)
