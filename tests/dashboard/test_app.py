"""The app factory, the layout per request, the health check and `python -m dashboard` without a store."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import dash
import pytest

from dashboard import ids as component_ids
from dashboard.__main__ import main
from dashboard.app import create_app, prepared_app
from dashboard.registry import ROUTES, VIEW_IDS
from dashboard.settings import ASSETS_DIR, Settings, from_env
from tests.serving import kpi_request

REPO = Path(__file__).resolve().parents[2]


def test_a_served_app_hides_its_start_up_from_the_garbage_collector(tiny_store: Path) -> None:
    """What serving builds before its first request (layout, registries, every reporter's rankings) is frozen:
    a full collection walks only what requests made since (dashboard.app `settled`)."""
    gc.unfreeze()
    try:
        app = prepared_app(Settings(store_dir=tiny_store))
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert len(gc.get_objects()) < frozen  # the app's own objects are among the frozen, not walked
        assert app.server.test_client().get("/").status_code == 200  # and it serves as before
    finally:
        gc.unfreeze()


def test_create_app_serves_the_layout(tiny_store: Path) -> None:
    app = create_app(Settings(store_dir=tiny_store))
    assert isinstance(app, dash.Dash)
    assert app.config.assets_folder == str(ASSETS_DIR)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    body = layout.get_data(as_text=True)
    assert '"Azerbaijan"' in body and "Group: World" in body
    assert "dangerously_allow_html" not in body  # data text is rendered as components, never raw HTML
    health = client.get("/healthz")
    assert health.status_code == 200
    assert json.loads(health.get_data(as_text=True))["store"].startswith("trade-")


def test_a_callback_round_trip(tiny_store: Path) -> None:
    app = create_app(Settings(store_dir=tiny_store))
    client = app.server.test_client()
    client.get("/")
    reply = client.post("/_dash-update-component", json=kpi_request("AZE", "ITA", 2019))
    assert reply.status_code == 200
    assert "$5.40 bn" in reply.get_data(as_text=True)


def test_health_without_store(tmp_path: Path) -> None:
    app = create_app(Settings(store_dir=tmp_path))
    assert app.server.test_client().get("/healthz").status_code == 503


def test_settings_from_env(tmp_path: Path) -> None:
    settings = from_env(
        {"TRADE_STORE_DIR": str(tmp_path), "TRADE_COMPARISON": "ita, tur", "TRADE_TOP_PARTNERS": "x"}
    )
    assert settings.store_dir == tmp_path
    assert settings.comparison == ("ITA", "TUR")
    assert settings.top_partners == 15
    assert settings.debug is False
    assert from_env({}).reporter == "AZE"


def test_main_without_store_says_run_the_etl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRADE_STORE_DIR", str(tmp_path / "empty"))
    assert main([]) == 2
    assert "python -m etl refresh" in capsys.readouterr().err


def test_python_m_dashboard_without_store_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "TRADE_STORE_DIR": str(tmp_path / "empty")}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "python -m etl refresh" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_page_says_its_language_before_any_script_runs(tiny_store: Path) -> None:
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    assert b'<html lang="ru">' in client.get("/?lang=ru").data
    assert b'<html lang="it">' in client.get("/", headers={"Accept-Language": "it-IT,it;q=0.9"}).data
    assert b'<html lang="en">' in client.get("/?lang=xx", headers={"Accept-Language": "de"}).data
    # A language we lack in the link: the default, as the layout draws the page (not the browser's).
    unknown = client.get("/?lang=xx", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert '<html lang="en">' in unknown and "Bilateral Trade Statistics" in unknown


def test_the_header_and_footer_arrive_as_html_in_the_pages_language(tiny_store: Path) -> None:
    """They never change while the page is open, so they are not components (components/chrome.py)."""
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    page = client.get("/?partner=TUR&lang=it&x=%22%3E%3Cscript%3E").data.decode()
    header, rest = page.split('<div id="react-entry-point">')
    assert '<header role="banner"' in header and "Statistiche del commercio bilaterale" in header
    assert (
        '<a id="lang-link-en" class="lang-link" href="?partner=TUR&amp;lang=en&amp;x=%22%3E%3Cscript%3E"'
        in header
    )
    assert 'id="lang-link-it" class="lang-link active"' in header and 'aria-current="true"' in header
    assert 'id="theme-toggle"' in header and "Tema scuro" in header
    assert '<footer class="app-footer">' in rest and "FOB" in rest and '"><script>' not in page
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=it"}).get_data(
        as_text=True
    )
    assert "lang-link" not in layout and "app-footer" not in layout


def test_the_layout_is_never_stored_by_the_browser(tiny_store: Path) -> None:
    """One URL answers every link's layout (built from its Referer): a stored one is drawn on Back."""
    client = create_app(Settings(store_dir=tiny_store)).server.test_client()
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=az"})
    assert layout.status_code == 200
    assert layout.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/_dash-dependencies").headers.get("Cache-Control", "")


def _ids(node: object) -> list[str]:
    """Every component id in a layout; a pattern-matching (dict) id as its JSON."""
    if isinstance(node, dict):
        given = node.get("props", {}).get("id") if isinstance(node.get("props"), dict) else None
        found = [given if isinstance(given, str) else json.dumps(given, sort_keys=True)] if given else []
        return found + [i for value in node.values() for i in _ids(value)]
    if isinstance(node, list):
        return [i for item in node for i in _ids(item)]
    return []


def _held(client: Any, view: str) -> set[str]:
    """The ids of the page of one view (a pattern-matching id as its type), each held once."""
    layout = client.get("/_dash-layout", headers={"Referer": f"http://127.0.0.1/?view={view}"})
    found = _ids(json.loads(layout.data))
    assert len(found) == len(set(found)), sorted(i for i in found if found.count(i) > 1)
    return {_type(i) for i in found}


def _type(given: str) -> str:
    return str(json.loads(given)["type"]) if given.startswith("{") else given


def test_every_callback_names_ids_the_layout_holds(tiny_store: Path) -> None:
    """What Dash's validation layout checked in the browser (the app no longer embeds it in each page), for the
    page of each view; and a callback that a component of every page can trigger names only components of
    every page, or writes only into one view's section. Dash does not run a callback one of whose components
    is missing (a view not built yet, callbacks/sections.py): it logs an error, and the change is lost. One
    whose outputs are all missing it drops without a word (dash-renderer's `pruneCallbacks`): the claim form
    follows the page's partner only once the claim checker is built, which builds it from the page's values.
    A lazy view's router writes only its own route stores, which are in its section: it runs once the view is
    built."""
    app = create_app(Settings(store_dir=tiny_store))
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "validation_layout" not in page and len(page) < 30_000
    pages = {view: _held(client, view) for view in VIEW_IDS}
    everywhere = set.intersection(*pages.values())
    routed = {component_ids.route(route.name) for route in ROUTES}
    for output, callback in app.callback_map.items():
        outputs = [o.rsplit(".", 1)[0] for o in output.strip(".").split("...") if o]
        inputs = {_type(d["id"]) for d in callback["inputs"]}
        named = {_type(i) for i in outputs} | inputs | {_type(d["id"]) for d in callback["state"]}
        assert any(named <= held for held in pages.values()), (output, named)
        if inputs & everywhere - routed:
            written = {_type(i) for i in outputs}
            read = named - written
            only_in_a_section = not written & everywhere and read <= everywhere
            assert named <= everywhere or only_in_a_section, (output, named - everywhere)
