"""The SSRF guard: every address form is normalised and only public addresses are sent to; the address checked
is the address connected to (one resolution per attempt, no DNS rebinding in between)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

import pytest

from domain.webhooks import InvalidSubscription
from ledger.system import Ledger
from ledger.webhook_targets import check_target
from tests.webhook_receiver import WEBHOOK_SETTINGS, Clock, Receiver, signed_contract, subscribe
from workers.dispatcher import Dispatcher

REFUSED_ADDRESSES = [
    "64:ff9b::a9fe:a9fe",  # NAT64 well-known prefix reaching 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
    "64:ff9b:1::a9fe:a9fe",  # NAT64 local-use prefix
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo (client 127.0.0.1 obfuscated)
    "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
    "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
    "::ffff:127.0.0.1",
    "ff02::1",  # multicast
    "ff0e::1",  # global-scope multicast
    "::",  # unspecified
    "::1",
    "fe80::1",
    "fc00::1",
    "2001:db8::1",  # documentation (reserved)
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "100.64.0.1",  # shared address space (CGNAT)
    "169.254.169.254",
    "10.1.2.3",
    "127.0.0.1",
]


def literal(address: str) -> str:
    return f"https://[{address}]/hook" if ":" in address else f"https://{address}/hook"


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_a_non_public_address_in_any_form_is_refused_without_naming_it(address: str) -> None:
    with pytest.raises(InvalidSubscription) as refused:
        check_target(literal(address), allow_private=False)
    assert refused.value.field == "url"
    assert "refused" in refused.value.detail
    assert address not in refused.value.detail and "169.254" not in refused.value.detail


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"])
def test_a_public_address_in_any_form_is_accepted(address: str) -> None:
    target = check_target(literal(address), allow_private=False)
    assert ipaddress.ip_address(target.address) == ipaddress.ip_address(address)


def test_a_host_resolving_to_one_private_address_among_public_ones_is_refused() -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        return ["93.184.216.34", "::ffff:10.0.0.1"]

    with pytest.raises(InvalidSubscription):
        check_target("https://hooks.example/x", allow_private=False, resolver=resolver)


def test_the_url_sent_to_is_the_checked_address_with_the_host_name_in_host_and_sni() -> None:
    target = check_target("https://hooks.example:8443/a?b=1", False, resolver=lambda h, p: ["2606:4700::1"])
    assert target.pinned_url() == "https://[2606:4700::1]:8443/a?b=1"
    assert target.host_header() == "hooks.example:8443"
    assert target.request_extensions() == {"sni_hostname": "hooks.example"}
    default_port = check_target("https://hooks.example/", False, resolver=lambda h, p: ["93.184.216.34"])
    assert default_port.host_header() == "hooks.example"


def test_the_dispatcher_resolves_once_per_attempt_and_connects_to_the_address_it_checked(
    ledger: Ledger, receivers: Callable[[], Receiver], clock: Clock
) -> None:
    receiver = receivers()
    port = receiver.url.split(":")[2].split("/")[0]
    subscribe(ledger, f"http://localhost:{port}/hook")
    signed_contract(ledger)
    asked: list[str] = []
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding resolver: a second question gets another answer

    def rebinding(host: str, port: int) -> Sequence[str]:
        asked.append(host)
        return next(answers)

    dispatcher = Dispatcher(ledger, WEBHOOK_SETTINGS, now=clock, jitter=lambda: 1.0, resolver=rebinding)
    try:
        assert dispatcher.run_once() == 1
    finally:
        dispatcher.close()
    assert asked == ["localhost"]
    (request,) = receiver.received
    assert request["headers"]["host"] == f"localhost:{port}" and request["status"] == 200


def test_when_the_first_checked_address_refuses_the_next_checked_one_is_tried(
    ledger: Ledger, receivers: Callable[[], Receiver], clock: Clock
) -> None:
    receiver = receivers()  # listens on 127.0.0.1 only: 127.0.0.2 refuses the connection
    port = receiver.url.split(":")[2].split("/")[0]
    subscribe(ledger, f"http://localhost:{port}/hook")
    signed_contract(ledger)
    dispatcher = Dispatcher(
        ledger, WEBHOOK_SETTINGS, now=clock, jitter=lambda: 1.0, resolver=lambda h, p: ["127.0.0.2", "127.0.0.1"]
    )
    try:
        assert dispatcher.run_once() == 1
    finally:
        dispatcher.close()
    (request,) = receiver.received
    assert request["status"] == 200
