"""A process that has imported the ETL once and forks one `python -m etl` run per request.

Used by the quick fault tests: starting a fresh interpreter costs seconds on a loaded 2-core machine, a fork
from this warm process a few milliseconds. Each child is a real process running `etl.cli.main`, with its own
environment and kill point, and is really SIGKILLed at that point. This process itself never opens a store
(no DuckDB threads exist when it forks).

Protocol: one JSON line per request on stdin, {"argv": [...], "env": {...}, "kill_at": "name" or ""}; one
JSON line per reply on stdout, {"exit": code or null, "signal": number or null, "stderr": text}.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

from etl import cli, faults


def _run(request: dict[str, object]) -> dict[str, object]:
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        pid = os.fork()
        if pid == 0:  # the child: becomes `python -m etl ...` with this environment
            code = 70
            try:
                os.dup2(errors.fileno(), 2)
                os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})  # type: ignore[call-overload]
                faults._KILL_AT = str(request["kill_at"]) or None
                code = cli.main([str(a) for a in request["argv"]])  # type: ignore[attr-defined]
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        errors.seek(0)
        return {
            "exit": os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "stderr": errors.read(),
        }


def main() -> int:
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(_run(json.loads(line))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
