"""Result lines, and bench/RESULTS.md with the machine described."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "pandas", "numpy", "pyarrow", "duckdb", "plotly", "dash", "dash-bootstrap-components", "dash-ag-grid",
    "openpyxl", "python-calamine", "kaleido", "gunicorn", "httpx", "defusedxml", "flask", "werkzeug",
    "playwright", "pycountry", "rich", "hypothesis",
)  # fmt: skip


@dataclass(frozen=True)
class Result:
    """One benchmark line. `ratio` is oriented so that bigger is better for us (baseline/ours for times)."""

    id: str
    what: str
    baseline: str
    ours: str
    ratio: float | None
    target: str
    passed: bool | None
    peak: str = ""
    note: str = ""


HEADER = f"{'id':<6} {'what':<44} {'baseline':>22} {'ours':>22} {'ratio':>8}  {'target':<24} {'result':<6} peak memory"


def line(result: Result) -> str:
    ratio = "" if result.ratio is None else f"{result.ratio:.2f}x"
    verdict = "n/a" if result.passed is None else "PASS" if result.passed else "FAIL"
    text = (
        f"{result.id:<6} {result.what[:44]:<44} {result.baseline:>22} {result.ours:>22} {ratio:>8}  "
        f"{result.target:<24} {verdict:<6} {result.peak}"
    )
    return text + (f"\n       note: {result.note}" if result.note else "")


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for text in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for text in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if text.startswith("MemTotal"):
                memory = f"{int(text.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "RAM": memory,
        "CPU": cpu or platform.processor(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "load average at the end (1, 5, 15 min)": load,
    }


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


# Everything from this line down in bench/RESULTS.md is written by hand (readings of the runs) and is carried
# over by `--write`, which rewrites only what is above it.
HAND_WRITTEN = "<!-- Written by hand below this line: `python -m bench --write` keeps it as it is. -->"


def hand_written(previous: str) -> str:
    """The hand-written part of a previous RESULTS.md: from the marker down (or, in a file written before the
    marker existed, from its first "## Reading" heading down); empty if there is none."""
    at = previous.find(HAND_WRITTEN)
    if at < 0:
        at = previous.find("\n## Reading")
        if at < 0:
            return ""
        return HAND_WRITTEN + "\n" + previous[at:]
    return previous[at:]


def markdown(results: list[Result], *, mode: str, elapsed: float, kept: str = "") -> str:
    """RESULTS.md: the table, notes, machine and versions of this run, then `kept` (see `hand_written`)."""
    rows = [
        "| id | what | baseline | ours | ratio | target | result | peak memory |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        verdict = "n/a" if r.passed is None else "PASS" if r.passed else "FAIL"
        rows.append(
            f"| {r.id} | {r.what} | {r.baseline} | {r.ours} | {ratio} | {r.target} | {verdict} | {r.peak} |"
        )
    notes = [f"- **{r.id}**: {r.note}" for r in results if r.note]
    described = "\n".join(f"- {k}: {v}" for k, v in machine().items())
    packages = ", ".join(f"{k} {v}" for k, v in versions().items())
    return (
        "# Benchmark results\n\n"
        f"`python -m bench --write` ({mode} mode), {elapsed:.0f} s. Every ratio compares against its baseline "
        'measured in the same run. Ratios read "bigger is better for us" (baseline time / our time, our '
        "throughput / baseline throughput, baseline bytes / our bytes), except where the target reads '<= Nx': "
        "there (P0, P2, P2b, P3 against its floor, P5, P5b) the ratio is our time / the floor or the smallest "
        "size, where smaller is better.\n\n"
        + "\n".join(rows)
        + "\n\n## Notes\n\n"
        + ("\n".join(notes) + "\n" if notes else "")
        + "\n## Machine\n\n"
        + described
        + "\n\nThe machine's 2 cores were shared with other jobs during the run (see the load average), so "
        "absolute times are pessimistic and vary 20-40 % between runs.\n\n"
        "## Installed versions\n\n"
        + packages
        + "\n\nDependency advisories: this machine has no internet access and no advisory database, so these "
        "versions were **not** checked against one here; check them with `pip-audit` or the GitHub advisory "
        "database on a connected machine.\n" + ("\n" + kept.rstrip() + "\n" if kept else "")
    )
