"""The network guard under every fetch: which addresses may be connected to, and for how long.

Feed and article URLs come from strangers, so a URL must not reach this machine or its network
(loopback, private, link-local, metadata services ...). The check runs where the connection is
made, in an httpcore network backend: it resolves the host itself, refuses the host if any of
its addresses is not public, and connects to a checked address. So every redirect hop is
checked, and DNS rebinding gets nowhere (the name is resolved once, and that answer is used).
TLS still verifies and sends SNI for the URL's host name: httpcore does that above the backend.

Private addresses may be allowed explicitly (`Settings.fetch_allow`: hosts, host:port, CIDRs);
cloud metadata addresses never are. The same backend bounds every read and write by the
deadline of the fetch in progress (see `deadline`), which per-read timeouts alone cannot do.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from newsdistill.errors import BlockedAddressError, ConfigError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# (host, port) → the IP addresses it resolves to, as strings
Resolver = Callable[[str, int], Sequence[str]]

# Instance metadata services hand out credentials; nothing allows them. (AWS, GCP, Azure and
# Oracle use 169.254.169.254, ECS 169.254.170.2, AWS over IPv6 fd00:ec2::254, Alibaba
# 100.100.100.200, Azure's wire server the public-looking 168.63.129.16.)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "168.63.129.16",
    )
)
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the operating system's resolver (numeric forms included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries and may be routed to, if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_metadata(address: Address) -> bool:
    inner = embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else None
    return address in METADATA_ADDRESSES or inner in METADATA_ADDRESSES


def blocked_reason(address: Address) -> str | None:
    """What kind of non-public address `address` is, or None for a public unicast address."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = blocked_reason(inner)
            if reason or address.ipv4_mapped is not None:
                return f"{reason} (as {inner})" if reason else None
    kinds = (
        # loopback, unspecified, link-local and reserved before private: Python counts
        # them as private too, and the narrower word says more
        ("a loopback", address.is_loopback),
        ("an unspecified", address.is_unspecified),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
        ("a site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("a non-public", not address.is_global),  # e.g. shared address space 100.64.0.0/10
    )
    return next((f"{kind} address" for kind, flag in kinds if flag), None)


def _host_key(host: str) -> str:
    """A host as the allow-list compares it: lower case, no brackets or trailing dot, IPs
    in their canonical form."""
    host = host.strip().lower().strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True)
class AllowList:
    """Non-public destinations the operator allowed: networks (any port), hosts (any
    port; matched by name or, for an IP, by address) and host:port pairs."""

    networks: tuple[Network, ...] = ()
    hosts: frozenset[str] = frozenset()
    host_ports: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """From entries such as "127.0.0.1", "10.0.0.0/8", "::1", "intranet.example",
        "127.0.0.1:8080" or "[::1]:8080"; raises ConfigError on anything else."""
        networks: list[Network] = []
        hosts: set[str] = set()
        host_ports: set[tuple[str, int]] = set()
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            host, port = _split_host_port(entry)
            if not host or any(c in host for c in "/@ ") or (port is not None and port > 65535):
                raise ConfigError(
                    f"NEWSDISTILL_FETCH_ALLOW: {raw!r} is not a host, host:port or CIDR"
                )
            if port is None:
                hosts.add(_host_key(host))
            else:
                host_ports.add((_host_key(host), port))
        return cls(tuple(networks), frozenset(hosts), frozenset(host_ports))

    def allows(self, host: str, port: int, address: Address) -> bool:
        names = {_host_key(host), str(address)}
        return (
            any(address in net for net in self.networks)
            or not names.isdisjoint(self.hosts)
            or any((name, port) in self.host_ports for name in names)
        )


def _split_host_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest.removeprefix(":")
        return host, int(port) if port.isdigit() else None
    host, sep, port = entry.rpartition(":")
    if sep and port.isdigit() and ":" not in host:
        return host, int(port)
    return entry, None


# --- deadline -------------------------------------------------------------------------------

# The monotonic time by which the fetch running in this thread must be done; None: no limit.
_deadline: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Every connect, read and write in this context ends by time.monotonic() == `at`."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def _bounded(timeout: float | None, timed_out: type[httpcore.TimeoutException]) -> float | None:
    at = _deadline.get()
    if at is None:
        return timeout
    remaining = at - time.monotonic()
    if remaining <= 0:
        raise timed_out("fetch deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose every operation also ends at the current fetch's deadline, so a server
    that trickles a byte at a time cannot hold a worker past it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


# --- the guard ------------------------------------------------------------------------------


@dataclass
class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the guard lets through; see the module docstring."""

    allow: AllowList = field(default_factory=AllowList)
    resolver: Resolver = system_resolver
    backend: httpcore.NetworkBackend = field(default_factory=httpcore.SyncBackend)

    def checked_addresses(self, host: str, port: int) -> list[Address]:
        """The addresses of `host`, all of them allowed; raises BlockedAddressError if one is
        not, httpcore.ConnectError if the host does not resolve."""
        host = host.strip("[]")
        addresses = self._resolve(host, port)
        for address in addresses:
            reason = blocked_reason(address)
            if reason and (is_metadata(address) or not self.allow.allows(host, port, address)):
                where = host if host == str(address) else f"{host} ({address})"
                raise BlockedAddressError(host, f"refused to connect to {where}: {reason}")
        return addresses

    def _resolve(self, host: str, port: int) -> list[Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass  # a name, or a number only the resolver reads (e.g. "2130706433")
        try:
            found = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"name resolution failed for {host}: {exc}") from None
        if not found:
            raise httpcore.ConnectError(f"name resolution failed for {host}: no address")
        return [ipaddress.ip_address(a.split("%")[0]) for a in found]

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in self.checked_addresses(host, port):
            bounded = _bounded(timeout, httpcore.ConnectTimeout)
            try:
                stream = self.backend.connect_tcp(
                    str(address), port, bounded, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # try the host's next address
                failure = exc
                continue
            return _DeadlineStream(stream)
        assert failure is not None  # checked_addresses returns at least one address
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise BlockedAddressError(path, "refused to connect to a unix socket")

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport (request mapping, errors, pooling), connecting through `network`.

    httpx 0.28 takes no network backend (encode/httpx#3749 proposes one), so the pool it
    builds is replaced by one built the same way around the guard. No proxies, no .netrc:
    environment settings are not trusted (a proxy would connect where the guard cannot see).
    """

    def __init__(self, network: GuardedBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=network,
        )
