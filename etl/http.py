"""HTTP for the live sources: httpx with connect/read timeouts, capped exponential backoff, Retry-After, a
minimum interval between requests, and one clear message per failure (which source, which request, what to do).

Secrets (API keys in headers or query parameters) never reach a message, a log line or a manifest: every URL
shown is passed through `redacted`.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# httpx (~0.3 s to import) is imported where a request is made: an offline refresh never loads it.
if TYPE_CHECKING:
    import httpx

# Query parameters and headers whose values are secrets.
SECRET_NAMES = frozenset(
    {"subscription-key", "ocp-apim-subscription-key", "token", "key", "apikey", "api_key", "authorization"}
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(RuntimeError):
    """A source could not be fetched: says which source, which request, what happened and what to do."""

    def __init__(
        self, source: str, request: str, problem: str, advice: str = "", *, status: int | None = None
    ):
        self.source = source
        self.request = request
        self.problem = problem
        self.advice = advice
        self.status = status
        text = f"{source}: {problem} (request: {request})"
        if advice:
            text += f". {advice}"
        super().__init__(text)


@dataclass(frozen=True)
class Policy:
    """How patient to be with one service. Defaults suit the public statistics APIs."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 5  # first try included
    backoff_base: float = 2.0  # seconds before the 2nd attempt; doubles each time
    backoff_cap: float = 60.0  # no single wait longer than this, Retry-After included
    min_interval: float = 0.0  # seconds between the starts of two requests (Comtrade: 6 s)
    max_bytes: int = 512 * 1024 * 1024  # a reply larger than this is refused, not read into memory


@dataclass(frozen=True)
class Reply:
    """A reply kept exactly as received, with what the raw manifest records about it."""

    url: str  # redacted
    status: int
    content: bytes
    content_type: str
    fetched_at: str  # ISO 8601 UTC
    attempts: int


def redacted(url: str) -> str:
    """`url` with the values of secret query parameters replaced by `***`; everything else kept as written."""
    parts = urlsplit(url)
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        name, equals, _ = piece.partition("=")
        pieces.append(f"{name}{equals}***" if unquote_plus(name).lower() in SECRET_NAMES else piece)
    return urlunsplit(parts._replace(query="&".join(pieces)))


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Client:
    """One source's HTTP client. `advice` maps an HTTP status to what the user should do about it."""

    source: str
    policy: Policy = field(default_factory=Policy)
    headers: Mapping[str, str] = field(default_factory=dict)
    advice: Mapping[int, str] = field(default_factory=dict)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    # The wall clock an HTTP-date Retry-After is measured against (injected in tests).
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _last_start: float | None = field(default=None, init=False)
    _client: httpx.Client | None = field(default=None, init=False)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        import httpx

        if self._client is None:
            timeout = httpx.Timeout(
                connect=self.policy.connect_timeout,
                read=self.policy.read_timeout,
                write=self.policy.read_timeout,
                pool=self.policy.connect_timeout,
            )
            self._client = httpx.Client(
                timeout=timeout,
                headers={"User-Agent": "bilateral-trade-dashboard-etl", **self.headers},
                transport=self.transport,
                follow_redirects=True,
            )
        return self._client

    def _wait_turn(self) -> None:
        if self._last_start is not None and self.policy.min_interval > 0:
            wait = self._last_start + self.policy.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        label: str = "",
    ) -> Reply:
        """GET with retries on timeouts, connection errors, 429 and 5xx; a `FetchError` once it gives up.

        4xx other than 429 fail at once (retrying a bad key or a bad query does not help).
        """
        import httpx

        try:
            full = str(httpx.URL(url, params=params)) if params else str(httpx.URL(url))
        except httpx.InvalidURL as exc:
            raise FetchError(
                self.source, redacted(url), f"the URL is not usable ({exc})", "Check the service address"
            ) from exc
        shown = label or redacted(full)
        last_problem = ""
        for attempt in range(1, self.policy.attempts + 1):
            self._wait_turn()
            wait: float | None = None
            try:
                content, response = self._read(full, headers)
            except httpx.TimeoutException as exc:
                last_problem = f"no reply within the time limit ({type(exc).__name__})"
            except (httpx.UnsupportedProtocol, httpx.TooManyRedirects) as exc:
                # Retrying cannot help: the address itself is wrong.
                raise FetchError(
                    self.source, shown, f"the URL is not usable ({exc})", "Check the service address"
                ) from exc
            except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
                # Typically a body shorter than its Content-Length: the connection dropped mid-reply.
                last_problem = f"the reply was cut short or garbled ({type(exc).__name__}: {exc})"
            except httpx.RequestError as exc:
                last_problem = f"connection failed ({type(exc).__name__}: {exc})"
            else:
                status = response.status_code
                if status < 400:
                    return Reply(
                        url=redacted(full),
                        status=status,
                        content=content,
                        content_type=response.headers.get("content-type", ""),
                        fetched_at=self.now().isoformat(timespec="seconds"),
                        attempts=attempt,
                    )
                detail = self._detail(content, headers)
                if status not in RETRY_STATUSES:
                    raise FetchError(
                        self.source,
                        shown,
                        f"the service answered HTTP {status}{detail}",
                        self.advice.get(status, "Check the request parameters; nothing was published"),
                        status=status,
                    )
                last_problem = f"the service answered HTTP {status}{detail}"
                wait = retry_after_seconds(response.headers.get("retry-after"), now=self.now())
                if wait is not None and wait > self.policy.backoff_cap:
                    # A quota exhausted for hours: waiting a capped minute and asking again cannot succeed.
                    raise FetchError(
                        self.source,
                        shown,
                        f"{last_problem}; the service asks to wait {wait:,.0f} s before asking again, longer "
                        f"than this refresh waits ({self.policy.backoff_cap:,.0f} s)",
                        self.advice.get(status, "Try again later, or refresh with --offline from saved files")
                        + "; nothing was published",
                        status=status,
                    )
            if attempt == self.policy.attempts:
                break
            backoff = self.policy.backoff_base * 2 ** (attempt - 1)
            self.sleep(min(self.policy.backoff_cap, max(backoff, wait or 0.0)))
        raise FetchError(
            self.source,
            shown,
            f"gave up after {self.policy.attempts} attempts: {last_problem}",
            "The service may be down or rate-limiting; try again later, or refresh with --offline from saved "
            "files; nothing was published",
        )

    def _detail(self, content: bytes, headers: Mapping[str, str] | None) -> str:
        """The start of an error body, with any secret header value this client sends blanked out."""
        text = content[:300].decode("utf-8", "replace").strip()
        for name, value in {**self.headers, **(headers or {})}.items():
            if name.lower() in SECRET_NAMES and value:
                text = text.replace(value, "***")
        return f": {text}" if text else ""

    def _read(self, url: str, headers: Mapping[str, str] | None) -> tuple[bytes, httpx.Response]:
        """The whole body, refusing replies larger than the policy allows and bodies cut short."""
        with self._http().stream("GET", url, headers=dict(headers or {})) as response:
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise FetchError(
                        self.source,
                        redacted(url),
                        f"the reply exceeds {self.policy.max_bytes:,} bytes",
                        "Narrow the request (fewer partners or periods)",
                    )
                chunks.append(chunk)
            return b"".join(chunks), response
