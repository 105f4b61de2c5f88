"""`python -m dashboard check-claim "TEXT"`: `main` called directly and run in a real Python process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.claims_cli import main
from tests.conftest import REPO_ROOT
from tests.dashboard.claims.test_claims import EXAMPLE
from tests.dashboard.mirror_stores import MIRROR_ROWS, publish_flows


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path / "store"
    publish_flows(store, MIRROR_ROWS)
    monkeypatch.setenv("TRADE_STORE_DIR", str(store))
    return store


def test_main_prints_one_line_per_figure(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-claim", EXAMPLE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(
        "main trading partner (rank by turnover with Italy, January–July 2020) — NOT CHECKABLE"
    )
    assert lines[1] == (
        "$3.7 billion (turnover with Italy, January–July 2020) — IMPLAUSIBLE — data: imports $396.2 m in 2020, "
        "IMF, Direction of Trade Statistics (DOTS), release 2022 — turnover $3.70 bn with exports "
        "$933.2 m implies imports of $2.77 bn in January–July 2020, but imports from Italy in the whole of 2020 "
        "were $396.2 m. Either the turnover is at most $1.33 bn (exports $933.2 m + $396.2 m), or exports were "
        "at least $3.30 bn, not $933.2 million; the data for January–July 2020 cannot tell which."
    )
    assert lines[2].startswith("$933.2 million (exports to Italy, January–July 2020) — IMPLAUSIBLE")


def test_main_without_the_subcommand_and_with_stdin(
    store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["Exports to Italy were $5 billion in 2019."]) == 0
    out = capsys.readouterr().out
    assert "— CONSISTENT — data: exports $5.00 bn in 2019" in out
    assert "also: Italy's report (mirror): imports from Azerbaijan $5.60 bn" in out
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Imports from Italy were $0.5 billion in 2019."))
    assert main(["check-claim", "-"]) == 0
    assert "— INCONSISTENT — data: imports $400.0 m in 2019" in capsys.readouterr().out


def test_main_errors(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["check-claim", "Nothing to check here."]) == 1
    assert "No figures found" in capsys.readouterr().out
    assert main(["check-claim", "x", "--reporter", "XYZ"]) == 2
    assert "does not know the reporter 'XYZ'" in capsys.readouterr().err
    monkeypatch.setenv("TRADE_STORE_DIR", str(tmp_path / "empty"))
    assert main(["check-claim", EXAMPLE]) == 2
    assert "no trade store is published" in capsys.readouterr().err


def test_in_a_real_process(store_dir: Path) -> None:
    code = "import sys; from dashboard.claims_cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "check-claim", EXAMPLE],
        cwd=REPO_ROOT,
        env=os.environ | {"TRADE_STORE_DIR": str(store_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(" — ")[1] for line in result.stdout.splitlines()] == [
        "NOT CHECKABLE",
        "IMPLAUSIBLE",
        "IMPLAUSIBLE",
    ]
    assert result.stderr == ""


def test_the_text_language_and_the_verdict_language(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    italian = "Nel 2019 le esportazioni verso l'Italia sono state pari a 5 miliardi di dollari."
    assert main(["check-claim", "--lang", "ru", italian]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "СООТВЕТСТВУЕТ" in line and "экспорт, партнёр: Италия, 2019" in line
    # Read as English (overriding detection), "5 miliardi di dollari" is no dollar figure: never a verdict.
    assert main(["check-claim", "--text-lang", "en", italian]) == 1
    assert capsys.readouterr().out.startswith("No figures found")
    with pytest.raises(SystemExit):
        main(["check-claim", "--text-lang", "fr", italian])
