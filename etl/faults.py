"""Named kill points for the reliability suite: `checkpoint(name)` SIGKILLs this process when the
environment variable `TRADE_KILL_AT` equals `name`.

The variable is read once, at import; with it unset (always, outside the fault tests) a checkpoint is one
comparison against None. SIGKILL, not an exception: nothing (no `finally`, no cleanup) runs after it, exactly
like a power cut or the OOM killer, which is what the tests must prove the store survives.
"""

from __future__ import annotations

import os
import signal

KILL_AT_ENV = "TRADE_KILL_AT"
_KILL_AT: str | None = os.environ.get(KILL_AT_ENV) or None


def checkpoint(name: str) -> None:
    """Die here, at once, when `TRADE_KILL_AT` names this point; otherwise do nothing."""
    if _KILL_AT is not None and name == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)
