"""Fixtures shared by the whole suite: where the real IMF workbooks are, and a clean environment."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DOTS = REPO_ROOT.parent / "shared" / "data" / "imf-dots"


@pytest.fixture(scope="session")
def shared_dots() -> Path:
    """The 235 real IMF DOTS workbooks; tests that need them skip, with the reason, where they are absent."""
    if not (SHARED_DOTS / "DOTS_13.xlsx").is_file():
        pytest.skip(f"the real IMF workbooks are not at {SHARED_DOTS} (../shared is absent)")
    return SHARED_DOTS
