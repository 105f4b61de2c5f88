"""Fixtures shared by the whole suite: where the real IMF workbooks are, and a clean environment."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DOTS = REPO_ROOT.parent / "shared" / "data" / "imf-dots"


@pytest.fixture(scope="session")
def shared_dots() -> Path:
    """The 235 real IMF DOTS workbooks; tests that need them skip, with the reason, where they are absent."""
    if not (SHARED_DOTS / "DOTS_13.xlsx").is_file():
        pytest.skip(f"the real IMF workbooks are not at {SHARED_DOTS} (../shared is absent)")
    return SHARED_DOTS


# Under pytest-xdist (make test: -n 2 --dist loadscope) modules go to whichever worker is free, in collection
# order; the longest ones (the reliability suite, then the browser tests) are handed out first so that the
# run does not end with one worker alone on a minute-long module.
_FIRST = ("tests/reliability/", "tests/browser/", "tests/dashboard/test_agreement.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def rank(item: pytest.Item) -> int:
        where = item.nodeid
        return next((i for i, prefix in enumerate(_FIRST) if where.startswith(prefix)), len(_FIRST))

    items.sort(key=rank)  # stable: the order within each module is kept


# The reliability counts (tests/reliability/counts.py) print at the end of every run. These hooks live here,
# not in tests/reliability/conftest.py, because the pytest-xdist controller loads only this conftest.
_COUNTS_PROPERTY = "reliability_counts"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # serial: the counts are already in this process
    from tests.reliability.counts import take_pending

    operations = take_pending()
    if operations:
        outcome.get_result().user_properties.append((_COUNTS_PROPERTY, operations))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from tests.reliability.counts import replay

    for name, operations in report.user_properties:
        if name == _COUNTS_PROPERTY and isinstance(operations, list | tuple):
            # xdist carries the worker's tuples over as lists.
            replay([(str(kind), str(part), dict(values)) for kind, part, values in operations])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability.counts import COUNTS, MODE

    if not COUNTS:
        return
    terminalreporter.section(f"reliability counts ({MODE} mode)")
    for part in sorted(COUNTS):
        shown = ", ".join(
            f"{name} {value:,}" if isinstance(value, int) else f"{name} {value}"
            for name, value in COUNTS[part].items()
        )
        terminalreporter.write_line(f"{part}: {shown}")
