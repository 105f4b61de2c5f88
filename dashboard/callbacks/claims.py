"""The claim checker: find the figures of a pasted text, check the ticked ones; or check one figure by form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

import dash
from dash import Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.state import navigated_search
from dashboard.claims import (
    FormError,
    check_claims,
    claim_from_form,
    claim_from_record,
    claim_record,
    describe,
    extract_claims,
    form_period,
    names_for,
    verdict_records,
)
from dashboard.claims.reading.language import detect_language
from dashboard.claims.wording import LANGUAGES as TEXT_LANGUAGES
from dashboard.components import claims as layout
from dashboard.format import number_text
from dashboard.i18n import t
from dashboard.queries.answers import TradeQueries
from dashboard.queries.controls import whole_number
from dashboard.queries.store import QueryStore

MAX_TEXT = 20_000  # characters: a long article; more is refused rather than matched slowly
MAX_LINK_TEXT: Final = (
    1_500  # characters of checked text put into a shareable link (URLs stay well under 8 kB)
)


def claim_text_from_search(search: str | None) -> str | None:
    """The text a shared link asks to check (`?view=claims&claim=...`), None when there is none."""
    values = [v for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k == "claim"]
    text = values[-1].strip() if values else ""
    return text[:MAX_TEXT] or None


def search_with_claim(search: str | None, text: str) -> str | None:
    """The query string with `claim` set to `text` and `view=claims`; None when the text is too long to share."""
    if not text.strip() or len(text) > MAX_LINK_TEXT:
        return None
    pairs = [
        (k, v)
        for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
        if k not in ("claim", "view")
    ]
    return "?" + urlencode([*pairs, ("view", "claims"), ("claim", text.strip())], safe=",")


def link_outputs(
    queries: TradeQueries, search: str | None, current_text: Any, reporter: Any, lang: Any = "en"
) -> tuple[Any, ...]:
    """A shared link with `claim=`: the text in the box, its figures found and checked (all ticked).
    Outputs: text, found message, options, ticked, records, results. Nothing changes without a new text."""
    search = search if isinstance(search, str) else None  # a hand-made request may send anything
    text = claim_text_from_search(search)
    if text is None or text == current_text:
        raise PreventUpdate
    linked = dict(parse_qsl((search or "").lstrip("?")))
    chosen = linked.get("reporter") if _reporter(queries, linked.get("reporter")) else reporter
    message, options, ticked, records = found_outputs(queries, text, chosen, "auto", lang)
    return text, message, options, ticked, records, check_outputs(queries, records, ticked, chosen, lang)


def link_content(
    queries: TradeQueries, search: str | None, reporter: Any, lang: Any
) -> dict[tuple[str, str], Any]:
    """`link_outputs` for a checker just built (the page's first response, or its tab first opened): each
    of LINK_OUTPUTS -> its value; nothing for a link without a claim (the empty checker stands)."""
    try:
        answered = link_outputs(queries, search, None, reporter, lang)
    except PreventUpdate:
        return {}
    return dict(zip(LINK_OUTPUTS, answered, strict=True))


def _reporter(queries: TradeQueries, reporter: Any) -> str | None:
    return reporter if isinstance(reporter, str) and queries.area(reporter) is not None else None


def _language(value: Any) -> str:
    """The page's language for verdicts (a browser may send anything: English then)."""
    return value if value in TEXT_LANGUAGES else "en"


def found_outputs(
    queries: TradeQueries, text: Any, reporter: Any, text_lang: Any = "auto", lang: Any = "en"
) -> tuple[Any, list[dict[str, Any]], list[int], list[dict[str, object]]]:
    """(message, checklist options, ticked values, claim records) for the figures found in `text`, read in
    `text_lang` (or the language it is written in, for "auto"), described in the page's `lang`."""
    chosen, shown_in = _reporter(queries, reporter), _language(lang)
    if chosen is None or not isinstance(text, str) or not text.strip():
        return layout.found_message(0, lang=shown_in), [], [], []
    if len(text) > MAX_TEXT:
        too_long = t(shown_in, "The text is longer than {limit} characters; check it in parts.",
                     limit=number_text(MAX_TEXT, shown_in))  # fmt: skip
        return html.P(too_long), [], [], []
    language = text_lang if text_lang in TEXT_LANGUAGES else detect_language(text)
    found = extract_claims(
        text, names=names_for(queries, chosen, language), reporter=chosen, language=language
    )
    names = queries.names(sorted({c.partner for c in found if c.partner}))
    options = [
        {"label": f"{c.text} — {describe(c, names, shown_in)}", "value": i} for i, c in enumerate(found)
    ]
    return (
        layout.found_message(len(found), language, shown_in),
        options,
        list(range(len(found))),
        [claim_record(c) for c in found],
    )


def check_outputs(queries: TradeQueries, records: Any, ticked: Any, reporter: Any, lang: Any = "en") -> Any:
    """The verdict table for the ticked claims (their own contradictions are judged among the ticked ones),
    written in the page's `lang`."""
    chosen, shown_in = _reporter(queries, reporter), _language(lang)
    if chosen is None or not isinstance(records, list):
        return layout.verdict_table([], shown_in)
    wanted = {i for i in ticked if isinstance(i, int)} if isinstance(ticked, list) else set()
    selected = [
        claim
        for i, record in enumerate(records)
        if i in wanted and isinstance(record, dict) and (claim := claim_from_record(record)) is not None
    ]
    if not selected:
        return layout.verdict_table([], shown_in)
    verdicts = check_claims(selected, queries, reporter=chosen)
    names = queries.names(sorted({v.claim.partner for v in verdicts if v.claim.partner}))
    return layout.verdict_table(verdict_records(verdicts, names, shown_in), shown_in)


def form_outputs(
    queries: TradeQueries,
    reporter: Any,
    partner: Any,
    period_kind: Any,
    year: Any,
    month: Any,
    measure: Any,
    value: Any,
    unit: Any,
    lang: Any = "en",
) -> Any:
    """The verdict on the form's claim (in the page's `lang`), or the form's error naming the field."""
    chosen, shown_in = _reporter(queries, reporter), _language(lang)
    if chosen is None:
        return html.P(t(shown_in, "Choose a reporter first."))
    try:
        period = form_period(period_kind, year, month)
        claim = claim_from_form(partner, measure, period=period, value=value, unit=unit, reporter=chosen)
    except FormError as exc:
        return html.P(
            t(shown_in, "Please correct the form: {error}.", error=exc.text(shown_in)),
            className="text-danger claim-form-error",
        )
    verdicts = check_claims([claim], queries, reporter=chosen)
    names = queries.names([str(partner)])
    return layout.verdict_table(verdict_records(verdicts, names, shown_in), shown_in)


def partner_options(options: Any) -> list[dict[str, str]]:
    """The form's partners: the page's partner options, those of the shape the page sends only (a hand-made
    request may send anything, and echoing it back unchecked could send what no JSON encoder writes)."""
    return [
        {key: option[key] for key in ("label", "value", "search") if isinstance(option.get(key), str)}
        for option in (options if isinstance(options, list) else [])
        if isinstance(option, dict)
        and isinstance(option.get("label"), str)
        and isinstance(option.get("value"), str)
    ]


def year_options(periods: Any) -> list[dict[str, Any]]:
    """The form's years from the page's period picker ("2019" for a year, "2020-07" for a month)."""
    years = []
    for option in periods if isinstance(periods, list) else []:  # a hand-made request may send anything
        value = option.get("value") if isinstance(option, dict) else option
        year = whole_number(str(value)[:4]) if value else None
        if year is not None and year not in years:
            years.append(year)
    return [{"label": str(y), "value": y} for y in years]


# The form's partner and year from the page's partner and period (`2020-07` -> 2020).
FORM_VALUES = """
function(partner, period) {
    const year = /^[0-9]{4}/.exec(String(period === null || period === undefined ? "" : period));
    return [partner === undefined ? null : partner, year ? parseInt(year[0], 10) : null];
}
"""


# What `link_outputs` answers, in order (a shared claim: also filled in the first response).
LINK_OUTPUTS: Final = ((layout.TEXT, "value"), (layout.FOUND_MESSAGE, "children"), (layout.FOUND, "options"),
                       (layout.FOUND, "value"), (layout.FOUND_STORE, "data"), (layout.RESULTS, "children"))  # fmt: skip


def register(app: dash.Dash, store: QueryStore) -> None:
    # The form offers the partners and years the page offers for the chosen reporter.
    @app.callback(
        Output(layout.FORM_PARTNER, "options"),
        Output(layout.FORM_YEAR, "options"),
        Input(ids.PARTNER, "options"),
        Input(ids.YEAR, "options"),
        prevent_initial_call=True,
    )
    def _form_options(partners: Any, periods: Any) -> tuple[Any, Any]:
        return partner_options(partners), year_options(periods)

    # ... and starts from the page's partner and year (a shared link's included).
    # (in the browser: a copy needs no round trip, and a period change sends one request fewer)
    app.clientside_callback(
        FORM_VALUES,
        Output(layout.FORM_PARTNER, "value"),
        Output(layout.FORM_YEAR, "value"),
        Input(ids.PARTNER, "value"),
        Input(ids.YEAR, "value"),
    )

    @app.callback(
        Output(layout.FOUND_MESSAGE, "children"),
        Output(layout.FOUND, "options"),
        Output(layout.FOUND, "value"),
        Output(layout.FOUND_STORE, "data"),
        Input(layout.EXTRACT, "n_clicks"),
        State(layout.TEXT, "value"),
        State(ids.REPORTER, "value"),
        State(layout.TEXT_LANG, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _found(_clicks: Any, text: Any, reporter: Any, text_lang: Any, lang: Any) -> tuple[Any, ...]:
        return found_outputs(store.current(), text, reporter, text_lang, lang)

    @app.callback(
        Output(layout.RESULTS, "children"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(layout.CHECK, "n_clicks"),
        State(layout.FOUND_STORE, "data"),
        State(layout.FOUND, "value"),
        State(ids.REPORTER, "value"),
        State(layout.TEXT, "value"),
        State(ids.URL, "search"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _check(
        _clicks: Any,
        records: Any,
        ticked: Sequence[Any] | None,
        reporter: Any,
        text: Any,
        search: str | None,
        lang: Any,
    ) -> tuple[Any, Any]:
        # The checked text goes into the link, so the verdicts can be shared.
        linked = search_with_claim(search, text) if isinstance(text, str) else None
        return check_outputs(store.current(), records, ticked, reporter, lang), linked or no_update

    text, *shared = LINK_OUTPUTS  # the others are also the text callbacks' outputs

    @app.callback(
        Output(*text),
        *(Output(*output, allow_duplicate=True) for output in shared),
        # A URL the user moved to (callbacks/state.py NAVIGATED): the page's own URL writes keep the claim.
        Input(ids.NAVIGATION, "data"),
        State(layout.TEXT, "value"),
        State(ids.REPORTER, "value"),
        State(ids.LANG, "data"),
        # Not on load: a page opened on a shared claim holds its verdicts (callbacks/first_response.py).
        prevent_initial_call=True,
    )
    def _from_link(navigation: Any, text: Any, reporter: Any, lang: Any) -> tuple[Any, ...]:
        return link_outputs(store.current(), navigated_search(navigation)[1], text, reporter, lang)

    @app.callback(
        Output(layout.FORM_RESULT, "children"),
        Input(layout.FORM_CHECK, "n_clicks"),
        State(ids.REPORTER, "value"),
        State(layout.FORM_PARTNER, "value"),
        State(layout.FORM_PERIOD, "value"),
        State(layout.FORM_YEAR, "value"),
        State(layout.FORM_MONTH, "value"),
        State(layout.FORM_MEASURE, "value"),
        State(layout.FORM_VALUE, "value"),
        State(layout.FORM_UNIT, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def _form(_clicks: Any, reporter: Any, *fields: Any) -> Any:
        # The form's fields and the page's language, in the order of the States above and of form_outputs'
        # parameters.
        return form_outputs(store.current(), reporter, *fields)
