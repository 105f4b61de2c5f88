"""The reliability suite: bad input, faults mid-refresh, load and security (issue 5).

Quick by default (CI); `RELIABILITY=long` for the long mode. Each part records its counts in
`tests.reliability.counts`, printed at the end of the test run by the hook below.
"""

from __future__ import annotations

import pytest

from tests.reliability.counts import COUNTS, MODE


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COUNTS:
        return
    terminalreporter.section(f"reliability counts ({MODE} mode)")
    for part in sorted(COUNTS):
        shown = ", ".join(
            f"{name} {value:,}" if isinstance(value, int) else f"{name} {value}"
            for name, value in COUNTS[part].items()
        )
        terminalreporter.write_line(f"{part}: {shown}")
