"""Pure figure builders: a tidy frame (+ keyword options) in, a plotly Figure out.

No dash, no store and no queries here: every function is testable with a hand-built frame.
"""
