"""The bench runner works end to end in its tiny mode (targets are never asserted: timings are noisy).

Each benchmark line is checked for its wiring only: an id, a baseline and our figure, a ratio and a verdict.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.reliability.counts import LONG

SHARED_DOTS = REPO_ROOT.parent / "shared" / "data" / "imf-dots"
CHROMIUM = Path("/usr/bin/chromium")


def _bench(*only: str) -> list[str]:
    """The result lines of `python -m bench --tiny --only ...` (notes left out)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--only", ",".join(only)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    ids = {i.upper() for i in only}
    return [line for line in result.stdout.splitlines() if line.split(" ", 1)[0].upper() in ids]


def _measured(line: str) -> bool:
    """A line with a ratio and exactly one verdict."""
    return "x " in line and ("PASS" in line) != ("FAIL" in line)


def test_the_bench_runner_prints_one_line_per_benchmark() -> None:
    # Lower case on purpose: `--only` is case-insensitive.
    lines = _bench("p6", "p5b")
    assert [line.split()[0] for line in lines] == ["P5b", "P5b", "P6"]
    answer, preparing, payload = lines
    assert _measured(answer) and _measured(payload)
    assert "px JSON" in payload
    assert "ranking answer" in answer and "ms median" in answer
    # The reporter's rankings computed before serving: for reference, a ratio and no verdict.
    assert "rankings (before serving)" in preparing and "x " in preparing and "n/a" in preparing


@pytest.mark.shared
def test_the_ingest_is_measured_against_its_floor_and_read_excel() -> None:
    if not any(SHARED_DOTS.glob("DOTS_*.xlsx")):
        pytest.skip(f"the IMF workbooks are not at {SHARED_DOTS}")
    lines = _bench("P3")
    assert [line.split()[0] for line in lines] == ["P3", "P3"]
    assert all(_measured(line) for line in lines)
    assert "calamine+DuckDB" in lines[0] and "read_excel" in lines[1]


@pytest.mark.browser
def test_the_page_benchmarks_time_a_visit_and_a_partner_change() -> None:
    if not LONG:
        # ~27 s of a worker (a store, gunicorn, a floor app and Chromium for four page loads) for code that
        # is not the product: checked in the long mode and by every `make bench-quick`.
        pytest.skip(
            "the page benchmarks' wiring is checked with RELIABILITY=long (make test stays under 6 min)"
        )
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    lines = _bench("P0", "P2b")
    assert [line.split()[0] for line in lines] == ["P0", "P2b"]
    assert all(_measured(line) for line in lines)
    assert "ms export" in lines[0] and "ms median" in lines[1]
