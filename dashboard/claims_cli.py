"""`python -m dashboard check-claim "TEXT"`: check the figures of a draft against the published store.

Prints one line per figure found: the claim (as written, with what it measures), the verdict word
(consistent / inconsistent / implausible / internally inconsistent / not checkable), the data's value and
source, and why. Exit status: 0 when the text was checked (whatever the verdicts), 1 when it states no figure,
2 when the store or the input cannot be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dashboard.settings import from_env
from etl.store import StoreError, current_store_path

COMMAND = "check-claim"
TEXT_LANGUAGES = (
    "en",
    "it",
    "az",
    "ru",
)  # as dashboard.claims.reading.lexicon.LANGUAGES (not imported: slow)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m dashboard {COMMAND}",
        description="Check the trade figures stated in a text (English, Italian, Azerbaijani or Russian) "
        "against the published store.",
    )
    parser.add_argument(
        "text",
        nargs="+",
        help='the text to check, e.g. "Exports to Italy were $5.6 billion in 2019"; - reads stdin',
    )
    parser.add_argument(
        "--reporter", default=None, help="whose statistics the text is about (default: TRADE_REPORTER or AZE)"
    )
    parser.add_argument(
        "--text-lang",
        choices=("auto", *TEXT_LANGUAGES),
        default="auto",
        help="the language the text is written in (default: told from the text)",
    )
    parser.add_argument(
        "--lang", choices=TEXT_LANGUAGES, default="en", help="the language of the verdicts (default: en)"
    )
    return parser


def main(argv: Sequence[str]) -> int:
    """Run the check; `argv` may start with the subcommand name (`check-claim`), which is skipped."""
    arguments = list(argv)
    if arguments[:1] == [COMMAND]:
        arguments = arguments[1:]
    args = _parser().parse_args(arguments)
    text = " ".join(args.text)
    if text.strip() == "-":
        text = sys.stdin.read()
    if not text.strip():
        print("error: the text is empty", file=sys.stderr)
        return 2
    settings = from_env(os.environ)
    reporter = (args.reporter or settings.reporter).strip().upper()
    try:
        store = current_store_path(settings.store_dir)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if store is None:
        print(
            f"error: no trade store is published in {settings.store_dir}; build it with `python -m etl refresh`",
            file=sys.stderr,
        )
        return 2

    from dashboard.claims import check_text, verdict_line
    from dashboard.queries.store import QueryStore

    queries = QueryStore.from_settings(settings).current()
    try:
        if queries.area(reporter) is None:
            print(f"error: the store does not know the reporter {reporter!r}", file=sys.stderr)
            return 2
        language = None if args.text_lang == "auto" else args.text_lang
        verdicts = check_text(queries, text, reporter=reporter, language=language)
        names = queries.names(sorted({v.claim.partner for v in verdicts if v.claim.partner}))
    finally:
        queries.close()
    if not verdicts:
        print("No figures found: state amounts such as '$3.7 billion', '933.2 million' or '26.36 percent'.")
        return 1
    for verdict in verdicts:
        print(verdict_line(verdict, names, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
