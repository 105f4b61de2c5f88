"""Counts the reliability suite prints at the end of the test run (see tests/conftest.py).

Under pytest-xdist the tests run in worker processes while the summary is printed by the controller: each
worker also keeps the operations it performed in `PENDING`; tests/conftest.py ships them with each test report
and the controller replays them into its own COUNTS, so the printed counts are the same serial or parallel.
"""

from __future__ import annotations

import os
from collections import defaultdict

# RELIABILITY=long runs the long mode (5-minute load, bigger bombs, more samples); CI runs the quick one.
LONG = os.environ.get("RELIABILITY", "").strip().lower() == "long"
MODE = "long" if LONG else "quick"

# part -> counter -> value (numbers, or short text such as a p95 in ms)
COUNTS: dict[str, dict[str, object]] = defaultdict(dict)
# Operations not yet shipped to the xdist controller: ("record", part, {counter: value}) or
# ("add", part, {counter: amount}).
PENDING: list[tuple[str, str, dict[str, object]]] = []


def record(part: str, **values: object) -> None:
    """Set counters of one part (bad input, faults, load, security); later values replace earlier ones."""
    COUNTS[part].update(values)
    PENDING.append(("record", part, dict(values)))


def add(part: str, counter: str, amount: int = 1) -> None:
    """Add to a numeric counter of one part."""
    _add(part, counter, amount)
    PENDING.append(("add", part, {counter: amount}))


def _add(part: str, counter: str, amount: int) -> None:
    current = COUNTS[part].get(counter, 0)
    COUNTS[part][counter] = (current if isinstance(current, int) else 0) + amount


def replay(operations: list[tuple[str, str, dict[str, object]]]) -> None:
    """Apply operations a worker performed (as `record` and `add` did there) to this process's COUNTS."""
    for kind, part, values in operations:
        if kind == "record":
            COUNTS[part].update(values)
        else:
            for counter, amount in values.items():
                _add(part, counter, amount if isinstance(amount, int) else 0)


def take_pending() -> list[tuple[str, str, dict[str, object]]]:
    """The operations performed since the last call, handed over once."""
    taken = list(PENDING)
    PENDING.clear()
    return taken
