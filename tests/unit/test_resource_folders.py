"""Shipped files (resources/, translations/) are found one way, from source and when frozen."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app import paths
from app.bundles import schemas
from app.sheets import catalogues

CHECKOUT = Path(__file__).resolve().parents[2]


def test_from_the_source_checkout(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.delenv("RESETTLE_RESOURCES", raising=False)
    assert paths.bundle_root() == CHECKOUT
    assert paths.resources_dir() == CHECKOUT / "resources"
    assert paths.translations_dir() == CHECKOUT / "translations"
    assert (paths.resources_dir() / "fonts" / "NotoSans-Regular.ttf").is_file()
    assert catalogues.TRANSLATIONS_DIR == paths.translations_dir()


def test_frozen_build_reads_beside_the_bundle(monkeypatch, tmp_path):
    """PyInstaller unpacks the datas of packaging/resettle.spec under sys._MEIPASS."""
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv("RESETTLE_RESOURCES", raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.translations_dir() == tmp_path / "translations"


def test_resettle_resources_replaces_resources_when_read(monkeypatch, tmp_path):
    """Read on each use, never cached at import: a test's broken copy is seen, then forgotten."""
    monkeypatch.setenv("RESETTLE_RESOURCES", str(tmp_path))
    assert paths.resources_dir() == tmp_path
    schemas._validator.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=str(tmp_path)):
            schemas._validator(schemas.REFERRAL_SCHEMA)
    finally:
        schemas._validator.cache_clear()
    monkeypatch.delenv("RESETTLE_RESOURCES")
    assert schemas.problems({}, schemas.REFERRAL_SCHEMA)  # the shipped schema again
