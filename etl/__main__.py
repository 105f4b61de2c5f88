import sys

from etl.memory import keep_freed_memory, use_system_allocator

# Before any column is read: etl/memory.py says what each saves on a world refresh.
keep_freed_memory()
use_system_allocator()

from etl.cli import main  # noqa: E402 - after the allocators are set

sys.exit(main())
