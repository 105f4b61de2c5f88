"""Verdicts in the reader's language: what the checker says, kept as a template and its parts until shown.

A `Said` is the English sentence (it *is* a `str`, so English callers and tests read it as before) that
remembers its template and parts; `localized(said, language)` writes it again in Italian, Azerbaijani or
Russian: the template from the language's gettext catalogue (dashboard/locale/<language>/LC_MESSAGES/
claims.po, which translators edit), amounts, percentages and months from CLDR (Babel), country names from
CLDR. `python -m dashboard.claims.wording > claims.pot` writes the template of every sentence the checker
says, for translators (msgmerge it into each claims.po); a test keeps every catalogue complete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from dashboard import i18n
from dashboard.format import MINUS, money

LANGUAGES: Final = ("en", "it", "az", "ru")
DOMAIN: Final = "claims"


class Part:
    """A part of a sentence that reads differently in each language."""

    def english(self) -> str:
        raise NotImplementedError

    def render(self, language: str) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Money(Part):
    """An amount in US dollars: `$3.70 bn`; `3,7 Mld USD`, `3,7 mlrd US$`, `3,7 млрд $`."""

    value: float | None

    def english(self) -> str:
        return money(self.value)

    def render(self, language: str) -> str:
        return money(self.value, language)


@dataclass(frozen=True)
class Percent(Part):
    """A share: `18.85%` (the digits given), `18,85 %` where the language writes it so."""

    ratio: float
    digits: int

    def english(self) -> str:
        return f"{self.ratio * 100:.{self.digits}f}%"

    def render(self, language: str) -> str:
        if language == "en":
            return self.english()
        from babel.numbers import format_percent

        pattern = "#,##0." + "0" * self.digits + "%" if self.digits else "#,##0%"
        return format_percent(self.ratio, format=pattern, locale=language)


@dataclass(frozen=True)
class Number(Part):
    """A plain number (a signed percentage-point gap, a rank), with the language's decimal sign."""

    value: float
    digits: int = 0
    signed: bool = False

    def english(self) -> str:
        text = f"{self.value:{'+' if self.signed else ''}.{self.digits}f}"
        return text.replace("-", MINUS)

    def render(self, language: str) -> str:
        if language == "en":
            return self.english()
        from babel.numbers import format_decimal

        pattern = ("+" if self.signed and self.value >= 0 else "") + (
            "#,##0." + "0" * self.digits if self.digits else "#,##0"
        )
        return format_decimal(self.value, format=pattern, locale=language).replace("-", MINUS)


@dataclass(frozen=True)
class When(Part):
    """A period: `2020`, `July 2020`, `January–July 2020` (month names from CLDR)."""

    start: str  # 'YYYY-MM'
    end: str

    def _months(self, language: str) -> tuple[str, str]:
        first, last = int(self.start[5:]), int(self.end[5:])
        if language == "en":
            from dashboard.claims.model import MONTHS

            return MONTHS[first - 1], MONTHS[last - 1]
        from babel import Locale

        names = Locale.parse(language).months["stand-alone"]["wide"]
        return names[first], names[last]

    def _label(self, language: str) -> str:
        first_year, last_year = self.start[:4], self.end[:4]
        if self.start[5:] == "01" and self.end[5:] == "12" and first_year == last_year:
            return first_year
        first, last = self._months(language)
        if self.start == self.end:
            return f"{first} {first_year}"
        if first_year == last_year:
            return f"{first}\u2013{last} {first_year}"
        return f"{first} {first_year}\u2013{last} {last_year}"

    def english(self) -> str:
        return self._label("en")

    def render(self, language: str) -> str:
        return self._label(language)


@dataclass(frozen=True)
class Area(Part):
    """A partner: the store's (English) name, CLDR's name in other languages; 'all partners' for the total."""

    code: str | None
    name: str

    def english(self) -> str:
        return self.name

    def render(self, language: str) -> str:
        if language == "en" or self.code is None:
            return self.name
        if self.code == "WLD":
            return translated(language, "all partners")
        return _territory(language, self.code) or self.name


@dataclass(frozen=True)
class Word(Part):
    """A word or phrase with no parts: a measure, a verdict word, a bound, 'were'/'was'."""

    msgid: str

    def english(self) -> str:
        return self.msgid

    def render(self, language: str) -> str:
        return translated(language, self.msgid)


@dataclass(frozen=True)
class Joined(Part):
    """Sentences (or parts) joined by a separator: '; ' between findings, ', ' in lists."""

    items: tuple[object, ...]
    separator: str = "; "

    def english(self) -> str:
        return self.separator.join(_english(i) for i in self.items)

    def render(self, language: str) -> str:
        return self.separator.join(localized(i, language) for i in self.items)


class Said(str):
    """The English sentence of a template and its parts; `localized` writes it in another language."""

    template: str
    parts: Mapping[str, object]

    def __new__(cls, template: str, /, **parts: object) -> Said:
        said = super().__new__(cls, template.format(**{k: _english(v) for k, v in parts.items()}))
        said.template = template
        said.parts = parts
        return said

    def __reduce__(self) -> tuple[object, ...]:  # pickled (multiprocessing, caches) as plain text
        return (str, (str(self),))


def _english(part: object) -> str:
    return part.english() if isinstance(part, Part) else str(part)


def localized(text: object, language: str) -> str:
    """`text` in `language`: a `Said` (or a Part) written again from its template and parts; other text as is."""
    if isinstance(text, Part):
        return text.render(language)
    if not isinstance(text, Said) or language == "en":
        return str(text)
    template = translated(language, text.template)
    try:
        return template.format(**{k: localized(v, language) for k, v in text.parts.items()})
    except (KeyError, IndexError, ValueError):
        return str(text)  # a catalogue entry with a wrong placeholder: English rather than a broken sentence


def said_record(text: object) -> object:
    """A `Said` whose parts are plain text as JSON values (for a dcc.Store); other values as they are."""
    if isinstance(text, Said) and all(isinstance(v, str) for v in text.parts.values()):
        return {"template": text.template, "parts": dict(text.parts), "text": str(text)}
    return text if text is None else str(text)


def said_from_record(value: object) -> str | None:
    """What `said_record` wrote, read back; anything malformed as plain text (a browser may send anything)."""
    if isinstance(value, dict):
        template, parts = value.get("template"), value.get("parts")
        if (
            isinstance(template, str)
            and isinstance(parts, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in parts.items())
        ):
            try:
                return Said(template, **parts)
            except (KeyError, IndexError, ValueError):
                return str(value.get("text", ""))
        return str(value.get("text", ""))
    return None if value is None else str(value)


def translated(language: str, msgid: str) -> str:
    """The catalogue's translation of `msgid` in `language`; `msgid` itself in English or when missing."""
    return i18n.translated(language, msgid, domain=DOMAIN)


def catalogue(language: str) -> Mapping[str, str]:
    """msgid -> translation from dashboard/locale/<language>/LC_MESSAGES/claims.po (read once)."""
    return i18n.catalogue(language, DOMAIN)


def _territory(language: str, code: str) -> str | None:
    """CLDR's name of a country in `language`; None for a code that is not a country's."""
    name = i18n.area_name(code, "", language)
    return name or None


def joined(items: Sequence[object], separator: str = "; ") -> Joined:
    return Joined(tuple(items), separator)


# Words the checker puts into sentences from its data (measures, bounds, verdicts): listed here so that
# `pybabel extract -k Said -k Word` finds them for the catalogues.
KNOWN_WORDS: Final = (
    Word("turnover"), Word("exports"), Word("imports"), Word("balance"), Word("share"), Word("rank"),
    Word("exact"), Word("at least"), Word("at most"), Word("about"),
    Word("consistent"), Word("inconsistent"), Word("implausible"), Word("internally inconsistent"),
    Word("not checkable"), Word("shares"), Word("figures"), Word("all partners"),
)  # fmt: skip


def templates_in_source(folder: Path | None = None) -> list[str]:
    """Every template the checker's code passes to `Said` or `Word` as a literal (or as either branch of a
    literal `a if … else b`), in order of appearance, each once."""
    import ast

    folder = folder or Path(__file__).resolve().parent
    found: dict[str, None] = {}

    def literals(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return literals(node.body) + literals(node.orelse)
        return []

    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Said", "Word")
                and node.args
            ):
                for template in literals(node.args[0]):
                    found.setdefault(template, None)
    return list(found)


def _pot() -> str:
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="bilateral-trade-dashboard", domain=DOMAIN)
    for template in templates_in_source():
        catalog.add(template, flags=("python-brace-format",) if "{" in template else ())
    buffer = BytesIO()
    write_po(buffer, catalog, omit_header=False, no_location=True)
    return buffer.getvalue().decode("utf-8")


if __name__ == "__main__":
    print(_pot(), end="")
