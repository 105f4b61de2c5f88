"""Child process of the bad-input tests: parse + validate each file, one JSON line per file on stdout.

Run as `python -m tests.reliability.parse_worker CASES.json` with an address-space limit set by the parent, so
a bomb that defeats a parser kills this child, not the test run. Per file: the problems (as the user reads
them), an exception escaping parse or validation (a defect) with its traceback, the seconds taken, and the
peak resident memory while reading it (VmHWM, reset before each file through /proc/self/clear_refs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import time
import traceback
from pathlib import Path

import pandas as pd

from etl.reference import Reference
from etl.refresh.registry import SOURCE_MODULES
from etl.settings import REPO_ROOT
from etl.validate import problems_in


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _digest(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "empty"
    text = frame.drop(columns=["origin"], errors="ignore").astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def main(cases_file: str) -> int:
    reference = Reference(REPO_ROOT / "data" / "reference")
    areas = reference.areas()
    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    for case in cases:
        path = Path(case["path"])
        _reset_peak()
        started = time.perf_counter()
        outcome: dict[str, object] = {"path": str(path), "parser": case["parser"]}
        try:
            module = SOURCE_MODULES[case["parser"]]
            parsed = module.parse(path, release="2022", reference=reference)
            frame = parsed.frame()
            problems = list(parsed.problems) + (problems_in(frame, areas=areas) if not frame.empty else [])
            outcome["problems"] = [str(p) for p in problems[:20]]
            outcome["problem_count"] = len(problems)
            outcome["placed"] = [bool(p.sheet or p.cell) for p in problems[:20]]
            outcome["files"] = sorted({p.file for p in problems})
            outcome["rows"] = len(frame)
            outcome["digest"] = _digest(frame)
        except BaseException as exc:  # the defect the tests look for: anything escaping parse or validation
            outcome["exception"] = f"{type(exc).__name__}: {exc}"[:500]
            outcome["traceback"] = traceback.format_exc()[-3000:]
        outcome["seconds"] = time.perf_counter() - started
        outcome["peak_mb"] = _peak_rss_mb()
        print(json.dumps(outcome), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
