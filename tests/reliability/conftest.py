"""The reliability suite: bad input, faults mid-refresh, load and security (issue 5).

Quick by default (CI); `RELIABILITY=long` for the long mode. Each part records its counts in
`tests.reliability.counts`; tests/conftest.py prints them at the end of the run (also under pytest-xdist,
whose controller never loads this folder's conftest).
"""
