"""Where the tests find the project's fixtures and the shared development data."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "fixtures"
SHARED = PROJECT.parent / "shared"
SEEDS = SHARED / "seeds"
SHARED_DATA = SHARED / "data"


def require_shared(path: Path) -> Path:
    """Skip the calling test, naming what is missing, when ../shared is not beside the project."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared development data sits beside the project only on the team's machines")
    return path
