"""`python -m bench [--quick] [--only P1,P3] [--write]`: each benchmark against its baseline, in the same run.

One line per benchmark: id, what, baseline figure, our figure, ratio, target, PASS/FAIL (plus peak memory for
P1, P3, P5). `--write` records the table and the machine in bench/RESULTS.md (meant for a full run), keeping its
hand-written readings below report.HAND_WRITTEN.
Targets are reported, never asserted in tests: this machine's cores are shared and timings are noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
import warnings
from pathlib import Path

from bench import cases, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and subsets (CI, < 3 min)")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # the smoke test's mode
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. P1,P3")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md (use with a full run)")
    args = parser.parse_args(argv)
    # plotly passes kaleido options the warm server ignores; the warning repeats per chart and says nothing new
    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    known = {name.upper(): name for name in cases.BENCHMARKS}  # `--only p2b,p1` as well as `P2b,P1`
    asked = [i.strip() for i in args.only.split(",") if i.strip()]
    unknown = [i for i in asked if i.upper() not in known]
    wanted = [known[i.upper()] for i in asked if i.upper() in known] or list(cases.BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(cases.BENCHMARKS)}")
    wanted = [b for b in cases.BENCHMARKS if b in wanted]  # P3 first: in full mode P1 reuses its store
    print(f"bench mode {mode}: {', '.join(wanted)}", flush=True)
    print(report.HEADER, flush=True)
    results = []
    started = time.perf_counter()
    failed = []
    for benchmark_id in wanted:
        try:
            for result in cases.BENCHMARKS[benchmark_id](mode):
                results.append(result)
                print(report.line(result), flush=True)
        except Exception:  # one benchmark's crash must not lose the others' lines; reported and exit code 1
            failed.append(benchmark_id)
            print(f"{benchmark_id:<6} ERROR\n{traceback.format_exc()}", flush=True)
    elapsed = time.perf_counter() - started
    print(f"{len(results)} results in {elapsed:.0f} s", flush=True)
    if args.write:
        path = Path(__file__).with_name("RESULTS.md")
        kept = report.hand_written(path.read_text(encoding="utf-8")) if path.exists() else ""
        path.write_text(report.markdown(results, mode=mode, elapsed=elapsed, kept=kept), encoding="utf-8")
        print(f"written {path}", flush=True)
    if failed:
        print(f"benchmarks that raised: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
