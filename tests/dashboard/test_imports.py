"""Imports point one way (DESIGN.md): checked by parsing the source, not by importing it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, with each of its parents (`a.b.c` -> a, a.b, a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in found:
            parts = name.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return names


def files(folder: str = "") -> list[Path]:
    found = sorted((DASHBOARD / folder).rglob("*.py"))
    assert found, f"no Python files under {DASHBOARD / folder}"
    return found


@pytest.mark.parametrize("path", files("figures"), ids=lambda p: p.name)
def test_figures_are_pure(path: Path) -> None:
    imported = imported_modules(path)
    forbidden = {"dash", "duckdb", "etl.store", "flask", "dash_bootstrap_components"}
    assert not imported & forbidden
    # The query package's model types (plain dataclasses, no database) are what a figure may name; the
    # reader, the answers and the store are not.
    queries = {m for m in imported if m.startswith("dashboard.queries.")}
    assert all(m.startswith("dashboard.queries.model") for m in queries), sorted(queries)


@pytest.mark.parametrize("path", files("callbacks"), ids=lambda p: p.name)
def test_callbacks_do_not_touch_the_store(path: Path) -> None:
    assert not imported_modules(path) & {"duckdb", "etl.store", "etl"}


@pytest.mark.parametrize("path", files(), ids=lambda p: str(p.relative_to(DASHBOARD)))
def test_dashboard_never_imports_etl_sources(path: Path) -> None:
    assert not {m for m in imported_modules(path) if m == "etl.sources" or m.startswith("etl.sources.")}


def test_only_queries_reads_the_store() -> None:
    readers = {p.relative_to(DASHBOARD).as_posix() for p in files() if "duckdb" in imported_modules(p)}
    assert readers == {"queries/reader.py"}


def test_the_checker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import duckdb\nfrom etl.sources import imf_dots\nfrom dash import dcc\n", encoding="utf-8"
    )
    assert {"duckdb", "etl.sources", "etl.sources.imf_dots", "dash", "dash.dcc"} <= imported_modules(sample)


# The refresh side of the ETL: the dashboard reads the published store and must not load the refresh, its
# command line or any source parser, not even through a module it imports (which the checks above cannot see).
REFRESH_SIDE = ("etl.sources", "etl.refresh", "etl.pipeline", "etl.cli")


def test_the_running_app_loads_nothing_of_the_refresh() -> None:
    """A fresh interpreter imports `dashboard.app` and lists every `etl` module that came with it."""
    probe = "import sys, dashboard.app; print(*(m for m in sys.modules if m.startswith('etl')))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=DASHBOARD.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert "etl.store" in loaded  # the probe sees etl modules at all: the store is the dashboard's one reader
    assert [m for m in loaded if any(m == side or m.startswith(f"{side}.") for side in REFRESH_SIDE)] == []
