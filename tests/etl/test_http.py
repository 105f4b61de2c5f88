"""etl.http.Client against a real HTTP server on 127.0.0.1 replaying faults: timeouts, 429 with Retry-After (seconds
and HTTP date), 5xx then success, bodies cut short, 401, and the spacing between requests on a fake clock."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime, timedelta

import pytest

from etl.http import Client, FetchError, Policy, redacted, retry_after_seconds
from tests.etl.replay_server import Reply, serving

# Fast: short timeouts and a 0.01 s backoff, no spacing.
TINY = Policy(connect_timeout=2.0, read_timeout=0.3, attempts=3, backoff_base=0.01, backoff_cap=60.0)
NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
OK = Reply(body=b'{"count":0,"data":[],"error":""}')


class FakeTime:
    """A clock that moves only when the client sleeps (or a test says time passed)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def client(policy: Policy = TINY, fake: FakeTime | None = None, **kwargs: object) -> Client:
    fake = fake or FakeTime()
    return Client("test", policy=policy, sleep=fake.sleep, clock=fake.clock, now=lambda: NOW, **kwargs)  # type: ignore[arg-type]


def test_a_reply_slower_than_the_read_timeout_is_retried_then_given_up() -> None:
    slow = Reply(body=b"{}", delay=1.5)
    with serving([slow, slow, slow]) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught, client() as http:
            http.get(f"{server.url}/data")
        elapsed = time.monotonic() - started
    assert str(caught.value).startswith(
        f"test: gave up after 3 attempts: no reply within the time limit (ReadTimeout) (request: {server.url}/data)"
    )
    assert len(server.requests) == 3
    assert elapsed < 3.0  # three 0.3 s timeouts, not three 1.5 s replies


def test_a_slow_reply_then_a_prompt_one_succeeds() -> None:
    with serving([Reply(body=b"late", delay=1.5), Reply(body=b"on time")]) as server, client() as http:
        reply = http.get(f"{server.url}/data")
    assert (reply.content, reply.status, reply.attempts) == (b"on time", 200, 2)


def test_429_waits_the_seconds_of_retry_after() -> None:
    fake = FakeTime()
    busy = Reply(status=429, body=b'{"statusCode":429}', headers={"Retry-After": "3"})
    with serving([busy, OK]) as server, client(fake=fake) as http:
        reply = http.get(f"{server.url}/data")
    assert reply.attempts == 2
    assert fake.sleeps == [3.0]  # Retry-After, not the 0.01 s backoff


def test_429_waits_until_the_http_date_of_retry_after() -> None:
    fake = FakeTime()
    when = email.utils.format_datetime(NOW + timedelta(seconds=7), usegmt=True)
    busy = Reply(status=429, headers={"Retry-After": when})
    with serving([busy, OK]) as server, client(fake=fake) as http:
        reply = http.get(f"{server.url}/data")
    assert when == "Thu, 26 Nov 2026 12:00:07 GMT"
    assert (reply.attempts, fake.sleeps) == (2, [7.0])


def test_a_retry_after_longer_than_the_cap_fails_at_once_instead_of_asking_again() -> None:
    fake = FakeTime()
    quota = Reply(
        status=429,
        body=b'{"statusCode":429,"message":"Rate limit is exceeded."}',
        headers={"Retry-After": "3600"},
    )
    with serving([quota, OK]) as server, pytest.raises(FetchError) as caught, client(fake=fake) as http:
        http.get(f"{server.url}/data")
    assert len(server.requests) == 1
    assert fake.sleeps == []
    assert caught.value.status == 429
    assert (
        "the service asks to wait 3,600 s before asking again, longer than this refresh waits (60 s)"
        in str(caught.value)
    )


def test_500_then_success_backs_off_then_returns_the_second_reply() -> None:
    fake = FakeTime()
    with (
        serving([Reply(status=500, body=b"oops"), Reply(body=b'{"data":[]}')]) as server,
        client(fake=fake) as http,
    ):
        reply = http.get(f"{server.url}/data")
    assert (reply.content, reply.attempts, fake.sleeps) == (b'{"data":[]}', 2, [0.01])


def test_5xx_every_time_gives_up_after_capped_exponential_backoff() -> None:
    fake = FakeTime()
    policy = Policy(read_timeout=2.0, attempts=4, backoff_base=1.0, backoff_cap=3.0)
    down = [Reply(status=503, body=b"down")] * 4
    with serving(down) as server, client(policy, fake) as http, pytest.raises(FetchError) as caught:
        http.get(f"{server.url}/data")
    assert fake.sleeps == [1.0, 2.0, 3.0]  # 1, 2, then 4 capped at 3
    assert "gave up after 4 attempts: the service answered HTTP 503: down" in str(caught.value)


def test_a_body_shorter_than_its_content_length_is_retried_then_given_up() -> None:
    cut = Reply(body=b'{"count": 1, "da', declared_length=400)
    with serving([cut, cut, cut]) as server, client() as http, pytest.raises(FetchError) as caught:
        http.get(f"{server.url}/data")
    assert len(server.requests) == 3
    assert "gave up after 3 attempts: the reply was cut short or garbled (RemoteProtocolError" in str(
        caught.value
    )


def test_a_cut_body_then_a_whole_one_succeeds() -> None:
    cut = Reply(body=b'{"count": 1, "da', declared_length=400)
    with serving([cut, Reply(body=b'{"count":0,"data":[]}')]) as server, client() as http:
        reply = http.get(f"{server.url}/data")
    assert (reply.content, reply.attempts) == (b'{"count":0,"data":[]}', 2)


def test_401_fails_at_once_with_the_advice_and_never_shows_the_key() -> None:
    body = b'{ "statusCode": 401, "message": "Access denied due to invalid subscription key s3cret-key." }'
    denied = Reply(
        status=401,
        body=body,
        headers={"Content-Type": "application/json", "WWW-Authenticate": 'AzureApiManagementKey realm="x"'},
    )
    with (
        serving([denied, OK]) as server,
        pytest.raises(FetchError) as caught,
        client(headers={"Ocp-Apim-Subscription-Key": "s3cret-key"}, advice={401: "Set a valid key"}) as http,
    ):
        http.get(f"{server.url}/data", params={"period": "2019"})
    assert len(server.requests) == 1
    assert server.requests[0].headers["ocp-apim-subscription-key"] == "s3cret-key"
    assert caught.value.status == 401
    assert str(caught.value) == (
        'test: the service answered HTTP 401: { "statusCode": 401, "message": "Access denied due to invalid '
        f'subscription key ***." }} (request: {server.url}/data?period=2019). Set a valid key'
    )


def test_requests_are_spaced_by_the_minimum_interval_on_a_fake_clock() -> None:
    fake = FakeTime()
    policy = Policy(read_timeout=2.0, min_interval=6.0)
    with serving([OK, OK, OK]) as server, client(policy, fake) as http:
        http.get(f"{server.url}/a")
        assert fake.sleeps == []  # the first request goes at once
        http.get(f"{server.url}/b")
        fake.now += 2.5  # time spent between requests counts towards the interval
        http.get(f"{server.url}/c")
    assert fake.sleeps == [6.0, 3.5]
    assert [r.path for r in server.requests] == ["/a", "/b", "/c"]


def test_a_url_that_cannot_work_fails_at_once() -> None:
    fake = FakeTime()
    with pytest.raises(FetchError) as caught, client(fake=fake) as http:
        http.get("ftp://127.0.0.1/data")
    assert fake.sleeps == []
    assert "the URL is not usable" in str(caught.value)


def test_secret_query_parameters_are_redacted() -> None:
    url = "https://x.org/get?reporterCode=31&subscription-key=abc&period=2019%2C2020"
    assert redacted(url) == "https://x.org/get?reporterCode=31&subscription-key=***&period=2019%2C2020"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("5", 5.0),
        (" 0 ", 0.0),
        ("Thu, 26 Nov 2026 12:01:00 GMT", 60.0),
        ("Thu, 26 Nov 2026 11:00:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_values(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


def test_redaction_keeps_every_other_character_of_the_url() -> None:
    assert redacted("https://x.org/a?Token=t%20t&b=&c") == "https://x.org/a?Token=***&b=&c"
    assert redacted("https://x.org/a") == "https://x.org/a"
