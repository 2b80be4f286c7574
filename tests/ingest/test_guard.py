"""The address guard: URLs that lead to this machine, its network or a metadata service are
refused before any connection, on every redirect hop and for every address a name resolves to.
Resolution goes through a test resolver (no DNS), connections through a recording backend or
real servers on 127.0.0.1."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import httpcore
import pytest

import newsdistill
from newsdistill.config import Settings
from newsdistill.errors import BlockedAddressError, ConfigError, FetchError
from newsdistill.ingest.fetch import Fetcher, TransientFetchError
from newsdistill.ingest.netguard import AllowList, system_resolver
from newsdistill.models import ArticleStatus
from newsdistill.pipeline import Newsroom
from newsdistill.store import Store

from .server import LocalServer, send

PAGE = b"<html><body><p>Hello from the test server.</p></body></html>"

# What the test resolver answers; any other name does not exist.
NAMES = {
    "localhost": ["127.0.0.1", "::1"],
    "metadata.google.internal": ["169.254.169.254"],
    "intranet.test": ["10.0.0.7"],
    "rebind.test": ["93.184.216.34", "192.168.0.10"],  # one public answer, one private
    "v6-private.test": ["fd12:3456::1"],
    "news.test": ["93.184.216.34"],
    "feeds.test": ["127.0.0.1"],
    "evil.test": ["127.0.0.1"],
}


def resolver(host: str, port: int) -> list[str]:
    try:
        return NAMES[host]
    except KeyError:
        raise OSError(f"[Errno -2] Name or service not known: {host}") from None


class Recording(httpcore.NetworkBackend):
    """Notes every connection attempt; the connection then fails (nothing real is reached)."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []
        self.tls_names: list[str | None] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        self.attempts.append((host, port))
        return _TLSRecorder(self)


class _TLSRecorder(httpcore.NetworkStream):
    """A connection that notes the name TLS is started for, then fails."""

    def __init__(self, owner: Recording) -> None:
        self.owner = owner

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self.owner.tls_names.append(server_hostname)
        raise httpcore.ConnectError("recorded only")

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        raise httpcore.WriteError("recorded only")

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        raise httpcore.ReadError("recorded only")

    def close(self) -> None:
        """Nothing to close: no socket was ever opened."""


def strict(**overrides: object) -> Settings:
    """Settings with nothing allowed, whatever the environment says; fail fast."""
    values: dict[str, object] = {"fetch_allow": [], "fetch_retries": 0, "fetch_timeout": 2.0}
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


# URL → what the refusal says. Each must be refused with no connection attempt at all.
REFUSED = {
    "http://127.0.0.1/secret.html": "127.0.0.1: a loopback address",
    "http://127.8.9.10:8080/": "a loopback address",
    "http://localhost:631/": "localhost (127.0.0.1): a loopback address",
    "http://[::1]/": "::1: a loopback address",
    "http://[::ffff:127.0.0.1]/": "a loopback address (as 127.0.0.1)",
    "http://[::ffff:7f00:1]/": "a loopback address (as 127.0.0.1)",
    "http://0.0.0.0/": "an unspecified address",
    "http://[::]/": "an unspecified address",
    "http://10.0.0.1/": "a private address",
    "http://172.16.5.4/": "a private address",
    "http://192.168.1.1/admin": "a private address",
    "http://[fc00::1]/": "a private address",
    "http://100.64.0.1/": "a non-public address",
    "http://169.254.1.1/": "a link-local address",
    "http://[fe80::1]/": "a link-local address",
    "http://224.0.0.1/": "a multicast address",
    "http://[ff02::1]/": "a multicast address",
    "http://240.0.0.1/": "a reserved address",
    "http://255.255.255.255/": "a reserved address",
    "http://169.254.169.254/latest/meta-data/": "a cloud metadata address",
    "http://[fd00:ec2::254]/latest/meta-data/": "a cloud metadata address",
    "http://[::ffff:169.254.169.254]/": "a cloud metadata address",
    "http://100.100.100.200/latest/meta-data/": "a cloud metadata address",
    "http://[64:ff9b::a9fe:a9fe]/": "a cloud metadata address (as 169.254.169.254)",
    "http://[2002:7f00:1::]/": "a loopback address (as 127.0.0.1)",  # 6to4
    "http://metadata.google.internal/computeMetadata/v1/": "a cloud metadata address",
    "http://intranet.test/": "intranet.test (10.0.0.7): a private address",
    "http://rebind.test/": "rebind.test (192.168.0.10): a private address",
    "http://v6-private.test/": "a private address",
    "https://127.0.0.1/": "a loopback address",
}


@pytest.mark.parametrize(("url", "reason"), REFUSED.items(), ids=list(REFUSED))
def test_non_public_destinations_are_refused_without_connecting(url: str, reason: str) -> None:
    backend = Recording()
    with (
        Fetcher(strict(), resolver=resolver, backend=backend) as fetcher,
        pytest.raises(BlockedAddressError) as caught,
    ):
        fetcher.get(url)
    assert caught.value.url == url
    assert reason in caught.value.reason and "refused to connect" in caught.value.reason
    assert not isinstance(caught.value, TransientFetchError)  # so never retried
    assert backend.attempts == []


# Numbers only a resolver reads as an address: the operating system's resolver (no DNS for
# these) turns them into 127.0.0.1, which is then refused.
NUMERIC = ["http://2130706433/", "http://0x7f000001/", "http://0x7f.1/", "http://127.1/"]


@pytest.mark.parametrize("url", NUMERIC)
def test_numeric_forms_of_loopback_are_refused(url: str) -> None:
    backend = Recording()
    with (
        Fetcher(strict(), resolver=system_resolver, backend=backend) as fetcher,
        pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1"),
    ):
        fetcher.get(url)
    assert backend.attempts == []


def test_an_octal_address_is_refused_as_an_invalid_url() -> None:
    backend = Recording()
    with Fetcher(strict(), backend=backend) as fetcher, pytest.raises(FetchError, match="invalid"):
        fetcher.get("http://0177.0.0.1/")
    assert backend.attempts == []


def test_a_public_name_connects_to_its_checked_address_with_tls_for_the_name() -> None:
    backend = Recording()
    with (
        Fetcher(strict(fetch_robots=False), resolver=resolver, backend=backend) as fetcher,
        pytest.raises(TransientFetchError),
    ):
        fetcher.get("https://news.test/story")
    # Connected to the address the guard checked, not to the name (no second lookup) ...
    assert backend.attempts == [("93.184.216.34", 443)]
    # ... while TLS verifies and sends SNI for the name.
    assert backend.tls_names == ["news.test"]


def test_unknown_names_fail_as_not_found_not_as_refused() -> None:
    with (
        Fetcher(strict(), resolver=resolver, backend=Recording()) as fetcher,
        pytest.raises(TransientFetchError) as caught,
    ):
        fetcher.get("http://nowhere.test/")
    assert caught.value.reason == "host not found"


def test_only_http_and_https() -> None:
    backend = Recording()
    with Fetcher(strict(), backend=backend) as fetcher:
        for url in ("file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:6379/_INFO"):
            with pytest.raises(FetchError, match="not an http"):
                fetcher.get(url)
    assert backend.attempts == []


# --- against real servers ---------------------------------------------------------------------


def test_a_private_page_is_refused_and_never_requested(server: LocalServer) -> None:
    server.routes["/secret.html"] = lambda h: send(h, 200, PAGE)
    with Fetcher(strict()) as fetcher, pytest.raises(BlockedAddressError):
        fetcher.get(server.url("/secret.html"))
    assert server.hits == {}


def test_allowing_one_port_allows_that_server_only(server: LocalServer) -> None:
    server.routes["/page"] = lambda h: send(h, 200, PAGE)
    with LocalServer() as other:
        other.routes["/page"] = lambda h: send(h, 200, PAGE)
        port = server.url("").rsplit(":", 1)[1]
        with Fetcher(strict(fetch_allow=[f"127.0.0.1:{port}"])) as fetcher:
            assert fetcher.get(server.url("/page")).content == PAGE
            with pytest.raises(BlockedAddressError):
                fetcher.get(other.url("/page"))
        assert other.hits == {}


def test_a_redirect_to_a_refused_address_is_refused(server: LocalServer) -> None:
    with LocalServer() as internal:
        internal.routes["/admin"] = lambda h: send(h, 200, b"internal secrets")
        server.routes["/go"] = lambda h: send(h, 302, headers={"Location": internal.url("/admin")})
        server.routes["/meta"] = lambda h: send(
            h, 301, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
        )
        server.routes["/file"] = lambda h: send(h, 302, headers={"Location": "file:///etc/passwd"})
        port = server.url("").rsplit(":", 1)[1]
        with (
            Fetcher(strict(fetch_allow=[f"127.0.0.1:{port}"])) as fetcher,
            pytest.raises(BlockedAddressError) as caught,
        ):
            fetcher.get(server.url("/go"))
            assert caught.value.url == server.url("/go")
            assert "a loopback address" in caught.value.reason
            with pytest.raises(BlockedAddressError, match="cloud metadata"):
                fetcher.get(server.url("/meta"))
            with pytest.raises(FetchError, match="not an http"):
                fetcher.get(server.url("/file"))
        assert internal.hits == {}
        assert server.hits["/go"] == 1


def test_an_allowed_name_is_allowed_but_not_its_address_under_another_name(
    server: LocalServer,
) -> None:
    server.routes["/page"] = lambda h: send(h, 200, PAGE)
    port = server.url("").rsplit(":", 1)[1]
    with Fetcher(strict(fetch_allow=["feeds.test"]), resolver=resolver) as fetcher:
        assert fetcher.get(f"http://feeds.test:{port}/page").content == PAGE
        assert server.last_headers["Host"] == f"feeds.test:{port}"
        with pytest.raises(BlockedAddressError, match=r"evil\.test \(127\.0\.0\.1\)"):
            fetcher.get(f"http://evil.test:{port}/page")
    assert server.hits["/page"] == 1


def test_a_cidr_allows_its_addresses_and_metadata_is_never_allowed() -> None:
    backend = Recording()
    settings = strict(fetch_allow=["10.0.0.0/8", "169.254.0.0/16"], fetch_robots=False)
    with (
        Fetcher(settings, resolver=resolver, backend=backend) as fetcher,
        pytest.raises(TransientFetchError),
    ):  # allowed: the recording backend is reached
        fetcher.get("http://intranet.test/")
        with pytest.raises(BlockedAddressError, match="cloud metadata"):
            fetcher.get("http://169.254.169.254/")
    assert backend.attempts == [("10.0.0.7", 80)]


@pytest.mark.parametrize(
    ("entries", "url"),
    [
        (["127.0.0.1"], "http://127.0.0.1:1/"),
        (["::1"], "http://[::1]:1/"),
        (["[::1]:1"], "http://[::1]:1/"),
        (["localhost"], "http://localhost:1/"),
        (["127.0.0.0/8"], "http://127.9.9.9:1/"),
    ],
)
def test_allow_list_forms(entries: list[str], url: str) -> None:
    with (
        Fetcher(strict(fetch_allow=entries, fetch_robots=False), resolver=resolver) as fetcher,
        pytest.raises(TransientFetchError),
    ):  # allowed, so it connects (and is refused)
        fetcher.get(url)


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "http://x/", "user@host", "host:99999"])
def test_a_bad_allow_list_entry_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError, match="NEWSDISTILL_FETCH_ALLOW"):
        AllowList.parse([entry])


def test_the_allow_list_reads_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSDISTILL_FETCH_ALLOW", "127.0.0.1:8080, 10.1.0.0/16,intranet.test")
    assert Settings().fetch_allow == ["127.0.0.1:8080", "10.1.0.0/16", "intranet.test"]


# --- recorded like other fetch failures, and the exit status --------------------------------


def test_refusals_are_recorded_on_articles_and_feeds(server: LocalServer, store: Store) -> None:
    server.routes["/secret.html"] = lambda h: send(h, 200, PAGE)
    room = Newsroom(strict(), store)
    secret = server.url("/secret.html")
    report = room.ingest([secret])
    assert report.failed == 1 and report.all_failed
    article = store.get_article(1)
    assert article.url == secret
    assert article.status == ArticleStatus.FAILED
    assert "refused to connect to 127.0.0.1: a loopback address" in (article.error or "")

    room.add_feed("http://169.254.169.254/latest/feed.xml")
    fetched = room.fetch()
    (feed,) = store.list_feeds()
    assert fetched.feeds_failed == 1 and fetched.all_failed
    assert "a cloud metadata address" in (feed.last_error or "")
    assert feed.error_count == 1
    assert server.hits == {}


def test_cli_ingest_of_a_private_page_fails_with_exit_status_1(
    server: LocalServer, tmp_path: Path
) -> None:
    server.routes["/secret.html"] = lambda h: send(h, 200, PAGE)
    src = str(Path(newsdistill.__file__).parents[1])
    env = {**os.environ, "NEWSDISTILL_FETCH_ALLOW": "", "PYTHONPATH": src, "COLUMNS": "200"}
    args = [sys.executable, "-m", "newsdistill", "--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    result = subprocess.run(
        [*args, "ingest", server.url("/secret.html"), "--no-process"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 new articles, 0 already stored, 1 failed" in result.stdout
    assert "a loopback address" in result.stderr and "Traceback" not in result.stderr
    assert server.hits == {}
