"""The bench runner works end to end in its tiny mode (targets are never asserted: timings are noisy)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_the_bench_runner_prints_one_line_per_benchmark() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--only", "P6"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("P6 ")]
    assert [line.split()[0] for line in lines] == ["P6"]
    assert all(("PASS" in line) != ("FAIL" in line) for line in lines)
    assert "x " in lines[0] and "px JSON" in lines[0]
