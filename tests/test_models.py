"""The model manifest: hashes are checked before anything is loaded."""

from __future__ import annotations

import json
import shutil

import pytest

from unspin.errors import ModelError
from unspin.models import MODELS_DIR, has_model, model_file, read_manifest, sha256_of


def test_manifest_entries_carry_provenance():
    for name, entry in read_manifest()["models"].items():
        for key in ("files", "data", "command", "seed", "scores"):
            assert key in entry, (name, key)
        for filename, digest in entry["files"].items():
            assert sha256_of(MODELS_DIR / filename) == digest, filename


@pytest.mark.skipif(not has_model("techniques"), reason="model not shipped")
def test_tampered_file_fails_the_hash_check(tmp_path):
    for f in json.loads((MODELS_DIR / "MANIFEST.json").read_text())["models"]["techniques"][
            "files"]:
        shutil.copy(MODELS_DIR / f, tmp_path / f)
    shutil.copy(MODELS_DIR / "MANIFEST.json", tmp_path / "MANIFEST.json")
    assert model_file("techniques", "techniques_config.json", tmp_path).exists()
    with (tmp_path / "techniques_heads.npz").open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="hash"):
        model_file("techniques", "techniques_heads.npz", tmp_path)
    with pytest.raises(ModelError, match="not in"):
        model_file("nonexistent", "x", tmp_path)


@pytest.mark.skipif(not has_model("techniques"), reason="model not shipped")
def test_shipped_encoder_was_trained_on_this_window_size():
    from unspin.encoder import MAX_TOKENS
    from unspin.techniques import check_window

    config = json.loads((MODELS_DIR / "techniques_config.json").read_text())
    assert config["window_tokens"] == MAX_TOKENS
    check_window(config)


def test_encoder_trained_on_other_windows_does_not_load():
    from unspin.encoder import MAX_TOKENS
    from unspin.techniques import LEGACY_WINDOW_TOKENS, check_window

    with pytest.raises(ModelError, match=f"windows of {MAX_TOKENS * 2} tokens"):
        check_window({"window_tokens": MAX_TOKENS * 2})
    if LEGACY_WINDOW_TOKENS != MAX_TOKENS:  # a config from before the size was recorded
        with pytest.raises(ModelError, match="reinstall"):
            check_window({})
