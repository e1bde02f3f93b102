"""The README's sample output is what the tool prints today."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "unspin analyze examples/port_strike.txt --format text --no-color"


def readme_excerpt() -> list[str]:
    """The lines of the README's sample, without the command and the "..." elisions."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```\n\$ " + re.escape(COMMAND) + r"\n(.*?)```", readme, re.S)
    assert match, "the README has no sample of " + COMMAND
    lines = []
    for line in match.group(1).splitlines():
        line = line.rstrip()
        if line.strip() in ("", "..."):
            continue
        lines.append(line.removesuffix(" ...").rstrip())
    return lines


def test_readme_sample_is_what_analyze_prints() -> None:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "unspin", *COMMAND.split()[1:]], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    printed = out.splitlines()
    position = 0
    for line in readme_excerpt():
        found = next((i for i in range(position, len(printed))
                      if printed[i].rstrip().startswith(line)), None)
        assert found is not None, f"README line not printed (in this order): {line!r}"
        position = found + 1
