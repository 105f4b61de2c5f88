"""Imports point one way (DESIGN.md): checked by parsing the source, not by importing it."""

from __future__ import annotations

import ast
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
    forbidden = {"dash", "duckdb", "etl.store", "dashboard.queries", "flask", "dash_bootstrap_components"}
    assert not imported_modules(path) & forbidden


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
