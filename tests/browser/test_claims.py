"""The claim checker in a real Chromium: paste the issue's paragraph, confirm, a verdict per figure; the form."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.dashboard.claims.test_claims import EXAMPLE
from tests.dashboard.mirror_stores import MIRROR_ROWS, publish_flows
from tests.serving import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def claims_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Annual IMF rows only (tests/dashboard/mirror_stores.py): January–July 2020 is not in the data."""
    store_dir = tmp_path_factory.mktemp("claims-store")
    publish_flows(store_dir, MIRROR_ROWS)
    with served(create_app(Settings(store_dir=store_dir))) as base:
        yield f"{base}/"


def test_paste_confirm_check(page: Page, claims_url: str) -> None:
    page.goto(claims_url + "?reporter=AZE&partner=ITA&year=2020&view=claims")
    page.locator("#claim-text").fill(EXAMPLE)
    page.get_by_role("button", name="Find the figures").click()
    expect(page.locator("#claim-found-message")).to_contain_text("3 figures found")
    found = page.locator("#claim-found input[type=checkbox]")
    expect(found).to_have_count(3)
    expect(page.locator("#claim-found")).to_contain_text(
        "$3.7 billion — turnover with Italy, January–July 2020"
    )

    page.get_by_role("button", name="Check the ticked figures").click()
    rows = page.locator("#claim-results tr.claim-verdict")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".verdict")).to_have_text("not checkable")
    expect(rows.nth(1).locator(".verdict")).to_have_text("implausible")
    expect(rows.nth(1)).to_contain_text("imports $396.2 m")
    expect(rows.nth(1)).to_contain_text("(DOTS), release 2022")
    expect(rows.nth(1)).to_contain_text(
        "turnover $3.70 bn with exports $933.2 m implies imports of $2.77 bn in January–July 2020, "
        "but imports from Italy in the whole of 2020 were $396.2 m"
    )
    # The exports cannot sit under that turnover with the whole year's imports: named, with the arithmetic.
    expect(rows.nth(2).locator(".verdict")).to_have_text("implausible")
    expect(rows.nth(2)).to_contain_text("or exports were at least $3.30 bn, not $933.2 million")
    # The checked text is in the link: opening it shows the same verdicts.
    expect(page).to_have_url(re.compile(r"view=claims&claim=Italy\+was\+Azerbaijan"))
    shared = page.url

    # The user unticks the exports figure: the turnover alone is only bounded by the whole year.
    found.nth(2).uncheck()
    page.get_by_role("button", name="Check the ticked figures").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("within the bound: turnover in the whole of 2020 was $4.57 bn")

    page.goto(shared)
    expect(page.locator("#claim-text")).to_have_value(EXAMPLE)
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator(".verdict")).to_have_text("implausible")


def test_one_figure_by_form(page: Page, claims_url: str) -> None:
    page.goto(claims_url + "?reporter=AZE&partner=ITA&year=2019&view=claims")
    expect(page).to_have_url(re.compile(r"view=claims"))
    page.locator("#claim-form-value").fill("5.4")
    page.get_by_role("button", name="Check", exact=True).click()
    result = page.locator("#claim-form-result tr.claim-verdict")
    expect(result.locator(".verdict")).to_have_text("consistent")  # 5,000 + 400 = 5,400 m in 2019
    expect(result).to_contain_text("turnover $5.40 bn")
    expect(result).to_contain_text("Italy's report (mirror): turnover with Azerbaijan $5.98 bn")
    page.locator("#claim-form-value").fill("five")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#claim-form-result")).to_have_text(
        "Please correct the form: value: 'five' is not a number."
    )


def test_a_russian_text_on_the_azerbaijani_page(page: Page, claims_url: str) -> None:
    """The text's language is told from it; the figures and verdicts are written in the page's language."""
    page.goto(claims_url + "?reporter=AZE&partner=ITA&year=2019&view=claims&lang=az")
    page.locator("#claim-text").fill("В 2019 году экспорт в Италию составил 6,5 млрд долларов.")
    page.get_by_role("button", name="Rəqəmləri tap").click()
    expect(page.locator("#claim-found-message")).to_contain_text("1 rəqəm tapıldı (dil: rus)")
    expect(page.locator("#claim-found")).to_contain_text("ixrac, tərəfdaş: İtaliya, 2019")
    page.get_by_role("button", name="İşarələnmiş rəqəmləri yoxla").click()
    row = page.locator("#claim-results tr.claim-verdict")
    expect(row.locator(".verdict")).to_have_text("uyğun deyil")
    expect(row.locator(".verdict")).to_have_class(re.compile(r"bg-danger"))  # coloured as "inconsistent"
    expect(row).to_contain_text("iddia +1,5\u00a0mlrd\u00a0US$ fərqlənir")


def test_the_form_starts_from_the_page_and_follows_it(page: Page, claims_url: str) -> None:
    """The form's partner and year are built with the checker, from the page's (a partner chosen before it was
    ever opened counts), and follow the page's afterwards, from the checker or from another view (the callback
    that copies them runs only once they exist: dashboard/registry.py CLAIMS)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(claims_url + "?reporter=AZE&partner=ITA&year=2019&view=bilateral")
    expect(page.locator("#kpi-turnover-value")).to_have_text("$5.40 bn")
    expect(page.locator("#claim-form-partner")).to_have_count(0)  # not in the page before the checker opens
    set_partner = "(code) => window.dash_clientside.set_props('partner', {value: code})"
    page.evaluate(set_partner, "TUR")
    expect(page.locator("#page-title")).to_contain_text("Türkiye")
    page.locator("label", has_text="Check a claim").click()
    expect(page.locator("#claim-form-partner")).to_contain_text("Türkiye")
    expect(page.locator("#claim-form-year")).to_contain_text("2019")
    page.evaluate(set_partner, "ITA")
    expect(page.locator("#claim-form-partner")).to_contain_text("Italy")
    page.locator("label", has_text="Bilateral").click()
    page.evaluate(set_partner, "TUR")
    expect(page.locator("#page-title")).to_contain_text("Türkiye")
    page.locator("label", has_text="Check a claim").click()
    expect(page.locator("#claim-form-partner")).to_contain_text("Türkiye")
    assert errors == []
