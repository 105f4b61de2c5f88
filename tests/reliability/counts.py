"""Counts the reliability suite prints at the end of the test run (see conftest.pytest_terminal_summary)."""

from __future__ import annotations

import os
from collections import defaultdict

# RELIABILITY=long runs the long mode (5-minute load, bigger bombs, more samples); CI runs the quick one.
LONG = os.environ.get("RELIABILITY", "").strip().lower() == "long"
MODE = "long" if LONG else "quick"

# part -> counter -> value (numbers, or short text such as a p95 in ms)
COUNTS: dict[str, dict[str, object]] = defaultdict(dict)


def record(part: str, **values: object) -> None:
    """Set counters of one part (bad input, faults, load, security); later values replace earlier ones."""
    COUNTS[part].update(values)


def add(part: str, counter: str, amount: int = 1) -> None:
    """Add to a numeric counter of one part."""
    current = COUNTS[part].get(counter, 0)
    COUNTS[part][counter] = (current if isinstance(current, int) else 0) + amount
