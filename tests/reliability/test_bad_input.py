"""Bad input: hundreds of malformed files through every parser and through `python -m etl refresh`.

Every file must give a clear error naming the file (and the sheet/cell where the defect is in a cell), within
5 s and bounded memory, with no exception escaping the parser (a traceback is a defect), and nothing published.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from etl.refresh.registry import SOURCE_MODULES
from tests.conftest import REPO_ROOT
from tests.helpers import run_etl
from tests.reliability.counts import LONG, add, record
from tests.reliability.malformed import DOTS, Case, dots_cases, generic_cases, valid_dots, write_dots_xls

SECONDS_PER_FILE = 5.0
# Peak resident memory of the child while it reads one file: the 256 MB (2 GB long) zip bomb must not inflate.
PEAK_MB = 1024
# Address space of the child: a parser that does inflate a bomb dies here instead of taking the machine down.
ADDRESS_SPACE = 6 << 30
CLI_SAMPLE = 60 if LONG else 3


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    folder = tmp_path_factory.mktemp("malformed")
    valid_xlsx = valid_dots(folder / "valid.xlsx")
    valid_xls = write_dots_xls(folder / "valid.xls")
    found: list[Case] = [
        Case(DOTS, valid_xlsx, "valid", expect="valid"),
        Case(DOTS, valid_xls, "valid", expect="valid"),
    ]
    for parser in SOURCE_MODULES:
        found.extend(
            generic_cases(folder / parser, parser, valid_xlsx=valid_xlsx, valid_xls=valid_xls, long=LONG)
        )
    found.extend(dots_cases(folder / "dots", long=LONG))
    return found


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _run_worker(cases: list[Case], folder: Path) -> list[dict[str, object]]:
    listing = folder / "cases.json"
    listing.write_text(
        json.dumps([{"parser": c.parser, "path": str(c.path)} for c in cases]), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.parse_worker", str(listing)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=SECONDS_PER_FILE * len(cases) + 60,
        preexec_fn=_limit_child,
    )
    outcomes = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    if len(outcomes) < len(cases):
        died_on = cases[len(outcomes)].path.name
        pytest.fail(
            f"the parse worker died (exit {result.returncode}) on {died_on}:\n{result.stderr[-3000:]}"
        )
    return outcomes


def test_every_malformed_file_gives_a_clear_error_fast_and_in_bounded_memory(
    cases: list[Case], tmp_path: Path
) -> None:
    outcomes = _run_worker(cases, tmp_path)
    by_path = {o["path"]: o for o in outcomes}
    intact = {c.path.suffix: by_path[str(c.path)]["digest"] for c in cases if c.expect == "valid"}
    defects: list[str] = []
    kinds: Counter[str] = Counter()
    for case, outcome in zip(cases, outcomes, strict=True):
        name = case.path.name
        kinds[case.kind.split(":")[0]] += 1
        if "exception" in outcome:
            shown = outcome["traceback"] if not defects else outcome["exception"]
            defects.append(f"{case.parser} {name}: exception escaped: {shown}")
            continue
        problems = outcome["problems"]
        assert isinstance(problems, list)
        if case.expect == "valid":
            if problems:
                defects.append(f"{name}: the intact file gave problems {problems[:3]}")
            continue
        if float(outcome["seconds"]) > SECONDS_PER_FILE:  # type: ignore[arg-type]
            defects.append(f"{case.parser} {name}: took {outcome['seconds']:.1f} s")
        if float(outcome["peak_mb"]) > PEAK_MB:  # type: ignore[arg-type]
            defects.append(f"{case.parser} {name}: peak memory {outcome['peak_mb']:.0f} MB")
        if not problems:
            if case.expect in ("error-or-same", "clean") and outcome["digest"] == intact[case.path.suffix]:
                add("bad input", "harmless defects giving the intact rows")
                continue
            if case.expect == "clean":
                add("bad input", "xls byte flips changing rows undetectably")
                continue
            defects.append(f"{case.parser} {name} ({case.kind}): accepted, {outcome['rows']} rows")
            continue
        if outcome["files"] != [name]:
            defects.append(f"{name}: problems name {outcome['files']}, not the file")
        if any("Traceback" in str(p) for p in problems):
            defects.append(f"{name}: traceback text in the message")
        if case.kind.startswith(("cell", "layout")) and not any(outcome["placed"]):  # type: ignore[arg-type]
            # a missing sheet cannot be given as the sheet of the problem; the message must name it
            if any("sheet" in str(p) for p in problems):
                continue
            defects.append(f"{name}: no sheet or cell named: {problems[:2]}")
    tried = len([c for c in cases if c.expect != "valid"])
    record(
        "bad input",
        **{"files tried": tried, "parsers": len(SOURCE_MODULES)},
        **{f"{kind} files": count for kind, count in sorted(kinds.items()) if kind != "valid"},
        **{"max seconds per file": f"{max(float(o['seconds']) for o in outcomes):.2f}"},  # type: ignore[arg-type]
        **{"max peak MB": f"{max(float(o['peak_mb']) for o in outcomes):.0f}"},  # type: ignore[arg-type]
        defects=len(defects),
    )
    assert defects == [], "\n".join(defects[:40])
    assert tried >= 500


def _refresh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_etl("refresh", "--offline", *args, env=env, timeout=120)


def test_a_sample_through_the_command_line_fails_in_one_paragraph_and_publishes_nothing(
    cases: list[Case], tmp_path: Path
) -> None:
    chooser = random.Random(5)
    bad = [c for c in cases if c.expect == "error" and c.kind not in ("huge",)]
    sample = chooser.sample(bad, CLI_SAMPLE)

    def attempt(index_case: tuple[int, Case]) -> str | None:
        index, case = index_case
        root = tmp_path / f"run-{index}"
        empty = root / "snapshot"
        empty.mkdir(parents=True)
        env = os.environ | {
            "TRADE_STORE_DIR": str(root / "store"),
            "TRADE_RAW_DIR": str(root / "raw"),
            "TRADE_SNAPSHOT_DIR": str(empty),
        }
        result = _refresh(env, "--source", case.parser, "--input", str(case.path))
        name = case.path.name
        if result.returncode != 1:
            return f"{name}: exit {result.returncode}"
        if "Traceback" in result.stderr or "internal error" in result.stderr:
            return f"{name}: {result.stderr[-1500:]}"
        if name not in result.stderr:
            return f"{name}: the message does not name the file: {result.stderr[-500:]}"
        if (root / "store" / "CURRENT").exists():
            return f"{name}: something was published"
        if any(p.name == name for p in (root / "raw").rglob("*")):
            return f"{name}: the rejected file was kept in data/raw"
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(attempt, enumerate(sample)) if f]
    record("bad input", **{"files through the CLI": len(sample), "CLI failures": len(failures)})
    assert failures == [], "\n".join(failures)


UNSAFE_XML = re.compile(r"^\s*(?:import|from)\s+(?:xml\.(?:etree|dom|sax)|lxml)\b", re.MULTILINE)


def test_no_parser_reads_xml_without_defusedxml() -> None:
    """XML bombs and external entities: parsers must read XML through defusedxml, never the stdlib or lxml."""
    offenders = []
    for name, module in SOURCE_MODULES.items():
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        offenders += [f"{name}: {m.group(0).strip()}" for m in UNSAFE_XML.finditer(source)]
    record("bad input", **{"parsers checked for unsafe XML imports": len(SOURCE_MODULES)})
    assert offenders == []
