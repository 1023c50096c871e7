"""Shared fixtures. Tests that need the dev set skip when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parents[1].parent / "shared" / "devset"


@pytest.fixture(scope="session")
def devset() -> Path:
    if not (DEVSET / "gold").is_dir():
        pytest.skip("../shared/devset is not beside the repository")
    return DEVSET
