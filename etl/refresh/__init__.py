"""The refresh: snapshot and raw files -> tidy frame -> validation -> a new published store version.

Nothing is published unless every input parsed and validated; problems are collected and raised once. One module
per job, each with one reason to change:

- `registry`: the source modules a refresh knows (`--source` name -> module), typed by `SourceModule`
- `fetch`: asking the live services and saving their replies under data/raw/
- `inputs`: which saved and given files a refresh reads, in which order
- `parse`: reading the files of one source, in parallel processes where the source allows it
- `frames`: compact (categorical) frames: joining, superseding by key, dropping identical repeats
- `snapshot`: the shipped economy-centred snapshot, read and written
- `releases`: what each release changed against the version published before
- `tables`: the tables a publication holds
- `orchestration`: `refresh`, the order of the steps, and publishing
"""
