"""How `python -m etl` asks for memory. A world refresh allocates and frees columns of millions of cells one
step after another, and on this kind of virtual machine first touching memory the process was not using costs
~2 ms per MB: a 100 MB column copied into fresh pages took ~0.25 s, into pages used before ~0.04 s (bench P3)."""

from __future__ import annotations

import ctypes
import os

import pyarrow

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
# Freed heap memory up to this (2 GiB) stays with the process instead of going back to the system.
_KEEP_FREED_BYTES = 2**31 - 1  # mallopt takes a C int


def keep_freed_memory() -> bool:
    """Make glibc's malloc serve every block from its heap and keep what is freed for the next block, so a
    column freed in one step is reused by the next instead of each step faulting in fresh pages.

    By default blocks above 32 MB are mapped from the system and unmapped when freed. Four alternated world
    refreshes (`python -m etl refresh`): 5.99-6.16 s against 6.37-6.64 s, system time 0.79-0.94 s against
    1.18-1.41 s, peak memory ~730 MB against ~705 MB. Returns whether it applied (glibc only; other C libraries
    keep their own habits).
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        libc = ctypes.CDLL(None)  # the C library this process already runs on
        return bool(libc.mallopt(_M_MMAP_MAX, 0)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED_BYTES))
    except (OSError, AttributeError, ValueError):
        return False


def use_system_allocator() -> None:
    """Arrow's columns from malloc (so from the kept heap above) instead of its default mimalloc: with the
    system allocator a world refresh ran ~0.6 s faster (of ~8 s; bench P3, three alternated runs each: 7.0-7.7 s
    against 7.7-8.8 s; jemalloc in between). Call before any column is read."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
