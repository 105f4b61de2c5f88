"""Read a workbook in a child process, so a reader crash cannot take the refresh down with it.

python-calamine is fast and safe on most damaged files, but on some corrupt `.xls` files (an OLE2 directory
claiming gigabytes, found by the reliability suite) its Rust code aborts the whole process, or asks for more
memory than the machine has. Reading in a forked child with a memory cap turns that into a problem naming the
file. The statistics offices' tables are small, so the fork (a few milliseconds) costs nothing noticeable.
"""

from __future__ import annotations

import multiprocessing
import resource
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

MEMORY_LIMIT = 2 << 30  # bytes of address space for the reader: far above any real country table
TIMEOUT = 120.0  # seconds


def _read(path: str, sender: Connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    try:
        workbook = CalamineWorkbook.from_path(path)
        sheets: list[tuple[str, Any]] = []
        for name in workbook.sheet_names:
            try:
                sheets.append((name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)))
            except BaseException as exc:
                sheets.append((name, f"{type(exc).__name__}: {exc}"))
        sender.send(("ok", sheets))
    except BaseException as exc:
        sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def workbook_sheets(path: Path) -> tuple[list[tuple[str, list[list[Any]] | str]], str | None]:
    """([(sheet name, cells or the error reading that sheet)], None), or ([], why the file cannot be read)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read, args=(str(path), sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(TIMEOUT):
            return [], f"reading took longer than {TIMEOUT:.0f} s (the file may be damaged)"
        status, payload = receiver.recv()
    except EOFError:
        child.join(5)
        return [], f"the Excel reader crashed on this file (exit {child.exitcode}); the file is damaged"
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == "error":
        return [], str(payload)
    return payload, None
