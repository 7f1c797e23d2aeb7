"""Where a webhook may be sent (SSRF): never to a private, loopback, link-local or reserved address unless the
configuration allows it (tests, a receiver on the same host). Checked when subscribing and again before
every attempt, on every address the host resolves to, since DNS answers can change between the two."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from domain.webhooks import InvalidSubscription


def check_target(url: str, allow_private: bool) -> None:
    host = urlsplit(url).hostname or ""
    port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InvalidSubscription(f"url: the host '{host[:100]}' does not resolve", field="url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global and not allow_private:
            raise InvalidSubscription(
                f"url: '{host[:100]}' resolves to a non-public address ({address}); refused (SSRF)", field="url"
            )
