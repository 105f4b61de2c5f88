"""gunicorn's settings for `make serve`, the benchmarks and the tests (gunicorn reads this file from the
folder it starts in; options on its command line win).

`preload_app`: the app, and every reporter's rankings (dashboard.app.create_server), is built once in the
master before it forks the workers, which then share those answers instead of each computing them again
(~14 s and ~0.8 GB for the world matrix; bench P1).
"""

preload_app = True
