"""Walk a report (as a dict) and check every span-like item against the report text."""

from __future__ import annotations


def iter_spans(node, path="report"):
    """Yield (path, item) for every dict that has integer start and end and a text."""
    if isinstance(node, dict):
        if isinstance(node.get("start"), int) and isinstance(node.get("end"), int) \
                and isinstance(node.get("text"), str):
            yield path, node
        for key, value in node.items():
            yield from iter_spans(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_spans(value, f"{path}[{i}]")


def assert_exact_offsets(report: dict) -> int:
    """Assert text[start:end] == item.text for every span; returns how many were checked."""
    text = report["text"]
    count = 0
    for path, item in iter_spans({k: v for k, v in report.items() if k != "text"}):
        assert 0 <= item["start"] <= item["end"] <= len(text), path
        assert text[item["start"]:item["end"]] == item["text"], path
        count += 1
    return count
