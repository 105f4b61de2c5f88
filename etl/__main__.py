import sys

import pyarrow

# Arrow's default allocator here is mimalloc. A world refresh allocates and frees columns of millions of cells
# one step after another, and with the system allocator it ran ~0.6 s faster (of ~8 s; bench P3, three
# alternated runs each: 7.0-7.7 s against 7.7-8.8 s; jemalloc in between). Set before any column is read.
pyarrow.set_memory_pool(pyarrow.system_memory_pool())

from etl.cli import main  # noqa: E402 - after the allocator is chosen

sys.exit(main())
