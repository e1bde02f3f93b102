"""Shipped model files and their manifest (``models/MANIFEST.json``).

Models are data: each entry names its files with their sha256, the data it was trained on,
the exact command, the seed and the measured scores. :func:`model_file` checks the hash before
anything is loaded, so a corrupted or swapped file fails loudly instead of scoring quietly.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from unspin.errors import ModelError

MODELS_DIR = Path(__file__).parent / "models"
MANIFEST = "MANIFEST.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(model_dir: Path = MODELS_DIR) -> dict:
    path = model_dir / MANIFEST
    if not path.exists():
        return {"models": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def has_model(name: str, model_dir: Path = MODELS_DIR) -> bool:
    return name in read_manifest(model_dir).get("models", {})


@cache
def model_file(name: str, filename: str, model_dir: Path = MODELS_DIR) -> Path:
    """The path of ``filename`` of model ``name``, after checking its sha256 against the
    manifest. Raises ModelError if the model, the file or the hash does not match."""
    entry = read_manifest(model_dir).get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"model '{name}' is not in {model_dir / MANIFEST}")
    expected = entry["files"].get(filename)
    path = model_dir / filename
    if expected is None or not path.exists():
        raise ModelError(f"model file {path} is missing; reinstall unspin")
    actual = sha256_of(path)
    if actual != expected:
        raise ModelError(f"model file {path} fails its hash check ({actual[:12]}...); "
                         "reinstall unspin")
    return path


def model_versions(model_dir: Path = MODELS_DIR) -> dict[str, str]:
    """``{name: version-sha-prefix}`` for the report's ``versions``."""
    out = {}
    for name, entry in read_manifest(model_dir).get("models", {}).items():
        first = next(iter(entry["files"].values()), "")
        out[f"model:{name}"] = f"{entry.get('version', '0')}+{first[:12]}"
    return out


def write_manifest_entry(model_dir: Path, name: str, files: list[str], info: dict) -> dict:
    """Hash ``files`` in ``model_dir`` and record them with ``info`` under ``name``."""
    manifest = read_manifest(model_dir)
    models = manifest.setdefault("models", {})
    previous = models.get(name, {})
    version = str(int(previous.get("version", "0")) + 1)
    entry = {"version": version,
             "files": {f: sha256_of(model_dir / f) for f in files},
             "size_bytes": sum((model_dir / f).stat().st_size for f in files),
             **info}
    models[name] = entry
    (model_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    model_file.cache_clear()
    return entry
