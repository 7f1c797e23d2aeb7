"""Where a webhook may be sent (SSRF): only to a public address unless the configuration allows private ones
(tests, a receiver on the same host).

Every form an address can take is normalised first: an IPv4 address carried inside an IPv6 one (IPv4-mapped
`::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) is
checked as the IPv4 address it reaches, and the local-use NAT64 prefix `64:ff9b:1::/48`, multicast, unspecified,
reserved, private, loopback and link-local addresses are refused.

The host is resolved once per check, every address it resolves to is checked, and the caller connects to the
checked address itself (`Target.address`), with the original host in `Host` and in TLS SNI/verification: there
is no second resolution between the check and the connection, so a DNS answer that changes (rebinding) cannot
redirect the request. A refusal says only that the target is refused, never where the host resolved.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from domain.webhooks import InvalidSubscription

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a network's own translators
REFUSED = "url: this target is refused (webhooks are only sent to public addresses)"


def resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for host (TCP), in its order."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address reaches or carries (none for a plain IPv6 address)."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address in NAT64_WELL_KNOWN or int(address) >> 32 == 0:  # NAT64, or IPv4-compatible ::a.b.c.d
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)  # (server, client)
    return []


def _public_v4(address: ipaddress.IPv4Address) -> bool:
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def is_public(address: IPAddress) -> bool:
    """True only for an address every form of which is a global unicast address."""
    if isinstance(address, ipaddress.IPv4Address):
        return _public_v4(address)
    if address in NAT64_LOCAL_USE:
        return False
    carried = embedded_ipv4(address)
    if carried and not all(_public_v4(v4) for v4 in carried):
        return False
    if address.ipv4_mapped is not None or address in NAT64_WELL_KNOWN:
        return True  # the IPv4 address it reaches was checked; ::ffff:0:0/96 and 64:ff9b::/96 are "reserved"
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified or address.is_link_local
    )


@dataclass(frozen=True)
class Target:
    """A checked webhook URL and the address to connect to (no second resolution)."""

    url: str
    host: str
    port: int
    address: str
    others: tuple[str, ...] = ()  # the host's other checked addresses, tried in turn if the first refuses

    def pinned_url(self, address: str | None = None) -> str:
        """The URL with a checked address (by default the first) in place of the host name."""
        parts = urlsplit(self.url)
        address = address or self.address
        literal = f"[{address}]" if ":" in address else address
        return urlunsplit((parts.scheme, f"{literal}:{self.port}", parts.path or "/", parts.query, ""))

    def host_header(self) -> str:
        default = 443 if urlsplit(self.url).scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"

    def request_extensions(self) -> dict[str, Any]:
        """TLS: SNI and certificate verification against the host name, not the address connected to."""
        return {"sni_hostname": self.host} if urlsplit(self.url).scheme == "https" else {}


def check_target(url: str, allow_private: bool, resolver: Resolver = resolve) -> Target:
    """Resolve the URL's host once and check every address; the first one is the address to connect to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidSubscription("url must be an http(s) URL with a valid host and port", field="url") from None
    try:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    except (OSError, UnicodeError, ValueError):
        raise InvalidSubscription(f"url: the host '{host[:100]}' does not resolve", field="url") from None
    if not addresses:
        raise InvalidSubscription(f"url: the host '{host[:100]}' does not resolve", field="url")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise InvalidSubscription(REFUSED, field="url")
    return Target(url, host, port, str(addresses[0]), tuple(dict.fromkeys(str(a) for a in addresses[1:])))
