"""`python -m etl` keeps freed memory for the next column instead of mapping fresh pages for each (bench P3)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

# In a child process: the setting is process-wide. Prints the bytes malloc holds in mapped blocks while a
# 200 MB array is alive (glibc's mallinfo2: hblkhd).
_PROBE = """
import ctypes, sys
import numpy as np
from etl.memory import keep_freed_memory
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
applied = keep_freed_memory() if sys.argv[1] == "keep" else None
column = np.ones(25_000_000)
print(applied, libc.mallinfo2().hblkhd)
"""


def _mapped_while_a_column_lives(mode: str) -> tuple[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    applied, mapped = done.stdout.split()
    return applied, int(mapped)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"), reason="glibc"
)
def test_large_columns_come_from_the_kept_heap_not_fresh_mappings() -> None:
    applied, mapped = _mapped_while_a_column_lives("keep")
    assert applied == "True"
    assert mapped < 50_000_000  # the 200 MB column sits in the heap
    _, mapped_by_default = _mapped_while_a_column_lives("default")
    assert mapped_by_default >= 200_000_000  # by default it is a mapping of its own, unmapped when freed
