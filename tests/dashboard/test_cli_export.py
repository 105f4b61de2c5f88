"""`python -m dashboard export|codes|check-claim` as a user runs them over a tiny store, and `python -m dashboard`
still serving.

The images, the new views, one user error and serving run as real subprocesses (the entry point end to end);
the other commands call `main()` in this process (`cli`), which asks the same of them without the ~1 s of
interpreter start each subprocess costs.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import openpyxl
import pandas as pd
import pytest
from defusedxml import ElementTree

from dashboard.__main__ import main
from tests.dashboard.stores import TINY_ROWS, publish_rows

REPO = Path(__file__).resolve().parents[2]
LINK = (
    "http://127.0.0.1:8050/?view=bilateral&reporter=AZE&partner=ITA&freq=annual&period=2019&source=imf_dots"
    "&flows=exports,imports,turnover,balance&measure=turnover&top=15&partners=ITA,TUR,RUS&map=turnover&lang=en"
)
SHORT_LINK = (
    "127.0.0.1:8050/?view=bilateral&reporter=AZE&partner=ITA&freq=annual&period=2019"
    "&flows=exports,imports,turnover,balance&lang=en"
)  # imf_dots, the source the page picks by itself, is not named: the image names sources by title
M = 1_000_000


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli-store")
    publish_rows(store, TINY_ROWS)
    return store


def run(store_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    inherited = {
        k: v for k, v in os.environ.items() if k != "BROWSER_PATH"
    }  # Debian's chromium unless `env` says
    environment = {**inherited, "TRADE_STORE_DIR": str(store_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


@dataclass(frozen=True)
class Ran:
    """What `cli` saw: the exit status and the text a subprocess would have printed."""

    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


def _fresh_interpreter_warning_filters() -> None:
    """The warning filters of a plain `python -m dashboard` (no -W): shown once per place, deprecations only
    from the entry point's own module (pytest's filters would show or hide others)."""
    warnings.resetwarnings()
    warnings.simplefilter("default")
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module=r"dashboard\.__main__")


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Cli:
    """`cli(store_dir, *args, env=...)`: `run` in this process, `main(args)` with the same environment
    (TRADE_STORE_DIR, no BROWSER_PATH unless `env` sets it, the repository as working directory), all
    undone after the test by monkeypatch. Its stderr also holds what pytest would otherwise swallow but a
    subprocess prints there: warnings and log records of WARNING or above (no logging is configured, so
    Python's last-resort handler prints them), so "one line on stderr" stays as strict as in a subprocess."""

    def call(store_dir: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
        monkeypatch.chdir(REPO)
        monkeypatch.delenv("BROWSER_PATH", raising=False)
        monkeypatch.setenv("TRADE_STORE_DIR", str(store_dir))
        for name, setting in (env or {}).items():
            monkeypatch.setenv(name, setting)
        capsys.readouterr()  # earlier output is not this command's
        caplog.clear()
        with warnings.catch_warnings(record=True) as caught:
            _fresh_interpreter_warning_filters()
            try:
                code: int | str | None = main(list(args))
            except SystemExit as exc:  # argparse's usage errors: the status the interpreter exits with
                code = exc.code
        assert isinstance(code, int), code
        out, err = capsys.readouterr()
        shown = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in caught]
        logged = [f"{r.getMessage()}\n" for r in caplog.records if r.levelno >= logging.WARNING]
        return Ran(code, out, err + "".join(shown + logged))

    return call


def exported_here(store_dir: Path, *args: str) -> tuple[str, int]:
    """`main(["export", *args])` in this process, for a module's fixtures: its stderr and exit status. For
    HTML, CSV and XLSX only, which start no browser (the images go through a real `python -m dashboard`)."""
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(REPO)
        patch.delenv("BROWSER_PATH", raising=False)
        patch.setenv("TRADE_STORE_DIR", str(store_dir))
        code = main(["export", *args])
    return stderr.getvalue(), code


@pytest.fixture(scope="module")
def bilateral(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, int]]:
    """`export --view bilateral --partner ITA` in every format: the images as subprocesses side by side, the
    data and HTML meanwhile in this process (~1 s of interpreter start each spared)."""
    out = tmp_path_factory.mktemp("cli-out")
    args = ("--view", "bilateral", "--partner", "ITA", "--year", "2019")

    def export(fmt: str) -> tuple[str, tuple[Path, str, int]]:
        path = out / f"aze-ita.{fmt}"
        done = run(store_dir, "export", *args, "--format", fmt, "--output", str(path))
        return fmt, (path, done.stderr, done.returncode)

    with ThreadPoolExecutor(max_workers=3) as pool:
        images = pool.map(export, ["png", "svg", "pdf"])
        here = {}
        for fmt in ("html", "csv", "xlsx"):
            path = out / f"aze-ita.{fmt}"
            here[fmt] = (path, *exported_here(store_dir, *args, "--format", fmt, "--output", str(path)))
        return {**dict(images), **here}


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html", "csv", "xlsx"])
def test_every_format_is_written(bilateral: dict[str, tuple[Path, str, int]], fmt: str) -> None:
    path, stderr, code = bilateral[fmt]
    assert code == 0, stderr
    assert re.fullmatch(rf"wrote trade over time \({fmt}, [\d,]+ bytes\) to {re.escape(str(path))}\n", stderr)
    content = path.read_bytes()
    if fmt == "png":
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
    elif fmt == "svg":
        root = ElementTree.fromstring(content)
        texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
        # The image's footer: the source by name, then the link without its scheme and with only the
        # parameters the trend reads (the XLSX below cites the whole link).
        assert "Source: IMF, Direction of Trade Statistics (DOTS), release 2024-06-30" in " ".join(texts)
        assert SHORT_LINK in texts and not any(t.startswith("Link:") for t in texts)
    elif fmt == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt == "html":
        page = content.decode("utf-8")
        assert "<script src" not in page and "plotly.js v" in page
        assert "<title>Azerbaijan\u2019s trade with Italy</title>" in page
    elif fmt == "csv":
        table = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
        assert table["period"].tolist() == [2017, 2018, 2019]
        assert table["turnover_usd"].tolist() == [3250 * M, 4300 * M, 5400 * M]
        assert table["balance_usd"].tolist() == [2750 * M, 3700 * M, 4600 * M]
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == ["Data", "About"]
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        assert about["Link"] == LINK
        assert about["Query: partner"] == "ITA" and about["Licence"] == "IMF terms of use"


def test_sizes_and_languages_of_images(store_dir: Path, tmp_path: Path) -> None:
    social, a4 = tmp_path / "top-az.png", tmp_path / "aze-ita.pdf"
    commands = (
        ("--view", "ranking", "--year", "2019", "--size", "social", "--lang", "az", "--output", str(social)),
        ("--view", "bilateral", "--year", "2019", "--size", "a4", "--output", str(a4)),
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda args: run(store_dir, "export", *args), commands))
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    png = social.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (1200).to_bytes(4, "big") + (675).to_bytes(
        4, "big"
    )
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", a4.read_bytes())
    assert media_box is not None  # an A4 landscape page: 297 x 210 mm, 842 x 595 pt
    assert abs(float(media_box[1]) - 841.89) < 1 and abs(float(media_box[2]) - 595.28) < 1


@pytest.mark.parametrize("option", [("--size", "poster"), ("--lang", "xx")])
def test_an_unknown_size_or_language_is_a_usage_error(
    option: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "--view", "bilateral", "--output", "x.png", *option])
    assert caught.value.code == 2
    assert f"argument {option[0]}: invalid choice: '{option[1]}'" in capsys.readouterr().err


def test_ranking_and_comparison_with_their_options(store_dir: Path, tmp_path: Path, cli: Cli) -> None:
    ranking = tmp_path / "top.csv"
    done = cli(
        store_dir, "export", "--view", "ranking", "--year", "2018", "--measure", "exports", "--top", "10",
        "--partner", "rus", "--output", str(ranking),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(ranking, encoding="utf-8-sig")
    assert table["partner"].tolist() == ["ITA", "TUR", "RUS"]
    assert table["value_usd"].tolist() == [4000 * M, 900 * M, 200 * M]
    assert table["share"].tolist() == pytest.approx([4000 / 7000, 900 / 7000, 200 / 7000])

    comparison = tmp_path / "cmp.xlsx"
    done = cli(
        store_dir, "export", "--view", "comparison", "--partners", "tur, rus", "--output", str(comparison)
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(comparison)
    header = [c.value for c in book["Data"][1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in book["Data"].iter_rows(min_row=2, values_only=True)
    ]
    assert [(r["partner"], r["period"], r["turnover_usd"]) for r in rows] == [
        ("TUR", "2017", 1800 * M),
        ("TUR", "2018", 2100 * M),
        ("TUR", "2019", 2500 * M),
        ("RUS", "2018", 200 * M),
        ("RUS", "2019", 2100 * M),
    ]
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Query: compare"] == "TUR,RUS"


USER_ERRORS: list[tuple[list[str], str]] = [
    (
        ["--partner", "XXX"],
        "error: Azerbaijan (AZE) reports no trade with 'XXX'. "
        "List Azerbaijan's partner codes with: python -m dashboard codes --reporter AZE\n",
    ),
    (
        ["--reporter", "ZZZ"],
        "error: unknown reporter 'ZZZ': the store holds no figures it reports. "
        "List the reporters' codes with: python -m dashboard codes\n",
    ),
    (
        ["--year", "1990"],
        "error: Azerbaijan reports no annual figures for '1990' (periods with data: 2017–2019; a year is "
        "2019, a month 2020-07)\n",
    ),
    (
        ["--frequency", "monthly", "--period", "2020-13"],
        "error: Azerbaijan reports no monthly figures for '2020-13' (periods with data: 2019-07–2020-07; "
        "a year is 2019, a month 2020-07)\n",
    ),
    (
        ["--frequency", "weekly"],
        "error: argument --frequency: invalid choice: 'weekly' (choose from 'annual', 'monthly', 'cumulative') "
        "(see `python -m dashboard export --help`)\n",
    ),
    (
        ["--source", "nope"],
        "error: no annual figures of Azerbaijan (AZE) from source 'nope' (sources with data: imf_dots)\n",
    ),
    (
        ["--view", "table", "--format", "png"],
        "error: --view table exports as csv or xlsx only, not png\n",
    ),
    (
        ["--view", "comparison", "--partners", "ITA,CHN"],
        "error: Azerbaijan (AZE) reports no trade with 'CHN'.",
    ),
    (["--top", "7", "--view", "ranking"], "error: --top must be one of 10, 15, 20, 30\n"),
]


def assert_one_line_error(returncode: int, stderr: str, message: str, output: Path) -> None:
    assert returncode == 2
    assert stderr.startswith(message)
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not output.exists()


@pytest.mark.parametrize(("args", "message"), USER_ERRORS)
def test_user_errors_are_one_clear_line(
    store_dir: Path, tmp_path: Path, cli: Cli, args: list[str], message: str
) -> None:
    output = tmp_path / "out.csv"
    done = cli(store_dir, "export", *args, "--output", str(output))
    assert_one_line_error(done.returncode, done.stderr, message, output)


def test_a_user_error_through_the_real_entry_point(store_dir: Path, tmp_path: Path) -> None:
    # A subprocess, unlike `cli`: the status is what `python -m dashboard` exits with (sys.exit(main())),
    # and the stderr of a fresh interpreter, import-time warnings included, is the one line and no more.
    args, message = USER_ERRORS[0]
    output = tmp_path / "out.csv"
    done = run(store_dir, "export", *args, "--output", str(output))
    assert_one_line_error(done.returncode, done.stderr, message, output)


def test_format_from_the_suffix_or_a_clear_error(store_dir: Path, tmp_path: Path, cli: Cli) -> None:
    done = cli(store_dir, "export", "--output", str(tmp_path / "chart.gif"))
    assert done.returncode == 2
    assert done.stderr == (
        "error: cannot tell the format from 'chart.gif': give --format (png, svg, pdf, html, csv, xlsx)\n"
    )
    done = cli(store_dir, "export", "--output", str(tmp_path / "no-such-dir" / "chart.csv"))
    assert done.returncode == 2
    assert (
        done.stderr
        == f"error: cannot write {tmp_path / 'no-such-dir' / 'chart.csv'}: No such file or directory\n"
    )


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_missing_chromium_is_one_line_and_exit_2(store_dir: Path, tmp_path: Path, cli: Cli, fmt: str) -> None:
    output = tmp_path / f"chart.{fmt}"
    done = cli(
        store_dir, "export", "--output", str(output), env={"BROWSER_PATH": str(tmp_path / "no-chromium")}
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"error: PNG, SVG and PDF exports need Chromium on the server: no browser at {tmp_path / 'no-chromium'} "
        "(install it with `apt-get install -y chromium` or set BROWSER_PATH to a Chromium or Chrome executable). "
        "HTML, CSV and XLSX exports work without it.\n"
    )
    assert not output.exists()


# Each view of the new state as CSV, and the map as a PNG.
NEW_VIEWS: dict[str, list[str]] = {
    "monthly": ["--view", "bilateral", "--frequency", "monthly", "--period", "2020-07"],
    "cumulative": ["--view", "bilateral", "--frequency", "cumulative", "--year", "2020-07"],
    "partners": ["--view", "partners", "--frequency", "monthly", "--period", "2020-07"],
    "rank": ["--view", "rank", "--partners", "ITA,TUR"],
    "map": ["--view", "map", "--period", "2019", "--map-measure", "exports"],
    "table": ["--view", "table", "--period", "2019"],
    "mirror": ["--view", "mirror", "--partner", "ITA"],
    "map-png": ["--view", "map", "--format", "png"],
}


@pytest.fixture(scope="module")
def new_views(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, int]]:
    """The map's PNG through a real `python -m dashboard`, the CSVs meanwhile in this process."""
    out = tmp_path_factory.mktemp("cli-views")
    png = out / "map-png.png"
    with ThreadPoolExecutor(max_workers=1) as pool:
        image = pool.submit(run, store_dir, "export", *NEW_VIEWS["map-png"], "--output", str(png))
        found = {
            name: (
                out / f"{name}.csv",
                *exported_here(store_dir, *args, "--output", str(out / f"{name}.csv")),
            )
            for name, args in NEW_VIEWS.items()
            if name != "map-png"
        }
        done = image.result()
    return {**found, "map-png": (png, done.stderr, done.returncode)}


def view_csv(new_views: dict[str, tuple[Path, str, int]], name: str) -> pd.DataFrame:
    path, stderr, code = new_views[name]
    assert code == 0, stderr
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_monthly_and_cumulative_trend_from_the_command_line(
    new_views: dict[str, tuple[Path, str, int]],
) -> None:
    monthly = view_csv(new_views, "monthly")
    assert monthly["period"].tolist() == ["2019-07", "2020-07"]
    assert monthly["exports_usd"].tolist() == [str(400 * M), str(250 * M)]  # 2800 − 2400, 1750 − 1500
    assert monthly["derived"].tolist() == ["True", "True"]
    cumulative = view_csv(new_views, "cumulative")
    assert cumulative["exports_usd"].tolist() == [str(v * M) for v in (2400, 2800, 1500, 1750)]


def test_partners_rank_map_table_and_mirror_from_the_command_line(
    new_views: dict[str, tuple[Path, str, int]],
) -> None:
    partners = view_csv(new_views, "partners")
    assert partners["partner"].tolist() == ["ITA", "TUR"]
    assert partners["value_usd"].tolist() == [str(270 * M), str(70 * M)]
    rank = view_csv(new_views, "rank")
    ita = rank[(rank["partner"] == "ITA") & (rank["measure"] == "turnover")]
    assert ita["rank"].tolist() == ["", "1", "1"]  # 2017 has no World total
    map_rows = view_csv(new_views, "map")
    countries = map_rows[map_rows["kind"] == "country"]
    assert countries["value_usd"].tolist() == [str(5000 * M), str(1000 * M), str(300 * M)]
    table = view_csv(new_views, "table")
    assert table["turnover_previous_usd"].tolist()[:3] == [str(4300 * M), str(2100 * M), str(200 * M)]
    mirror = view_csv(new_views, "mirror")
    gap = mirror[(mirror["year"] == "2019") & (mirror["direction"] == "exports")]
    assert gap["gap_usd"].tolist() == [str(200 * M)]  # Italy's CIF 5200 − Azerbaijan's FOB 5000


def test_the_map_as_png(new_views: dict[str, tuple[Path, str, int]]) -> None:
    path, stderr, code = new_views["map-png"]
    assert code == 0, stderr
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote partners on the map (png," in stderr


def test_check_claim_end_to_end(store_dir: Path, cli: Cli) -> None:
    done = cli(store_dir, "check-claim", "Italy was Azerbaijan's largest trading partner in 2019")
    assert done.returncode == 0, done.stderr
    assert "CONSISTENT" in done.stdout and "#1 in 2019" in done.stdout


def test_data_exports_need_no_chromium(store_dir: Path, tmp_path: Path, cli: Cli) -> None:
    output = tmp_path / "chart.xlsx"
    done = cli(
        store_dir, "export", "--output", str(output), env={"BROWSER_PATH": str(tmp_path / "no-chromium")}
    )
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(output).sheetnames == ["Data", "About"]


def test_export_without_a_store(tmp_path: Path, cli: Cli) -> None:
    done = cli(tmp_path / "empty", "export", "--output", str(tmp_path / "x.csv"))
    assert done.returncode == 2
    assert "python -m etl refresh" in done.stderr and "Traceback" not in done.stderr


def test_codes_lists_reporters_and_partners(store_dir: Path, cli: Cli) -> None:
    done = cli(store_dir, "codes", "--reporter", "aze")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "Partners of AZE (code, kind, name):",
        "  ITA   country      Italy",
        "  RUS   country      Russia",
        "  TUR   country      Türkiye",
        "  EUU   group        European Union",
        "  WLD   group        World",
    ]
    assert "  AZE   country      Azerbaijan" in cli(store_dir, "codes").stdout


def test_check_claim_without_its_module(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dashboard.claims_cli", None)  # as if the module were absent
    assert main(["check-claim", "Italy", "was", "first"]) == 2
    assert capsys.readouterr().err == (
        "error: `check-claim` is not available in this installation (the module dashboard/claims_cli.py "
        "is missing).\n"
    )


def test_check_claim_hands_over_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[list[str]] = []
    claims = types.ModuleType("dashboard.claims_cli")

    def claims_main(argv: list[str]) -> int:
        received.append(argv)
        return 3

    claims.main = claims_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dashboard.claims_cli", claims)
    assert main(["check-claim", "In 2019 Italy was first", "--year", "2019"]) == 3
    assert received == [["In 2019 Italy was first", "--year", "2019"]]


def test_help_still_describes_serving(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "--host" in text and "--port" in text and "--debug" in text
    assert "export " in text and "check-claim" in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(store_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "TRADE_STORE_DIR": str(store_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_without_a_command_it_still_serves(served: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            reply = httpx.get(f"{served}/healthz", timeout=5)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert reply.status_code == 200 and reply.json()["store"].startswith("trade-")
    assert "chart-download-item" in httpx.get(f"{served}/_dash-layout", timeout=10).text
