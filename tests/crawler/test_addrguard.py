"""Which addresses may be dialled: `ipaddress.is_global` plus an explicit deny list, IPv6 transition
addresses unwrapped (crawler/addrguard.py)."""

from __future__ import annotations

import pytest

from crawler.addrguard import address_refused

REFUSED = [
    "100.64.0.1", "100.100.100.200",  # shared address space (cloud metadata services live there)
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "255.255.255.255",
    "224.0.0.1", "239.255.255.250",  # multicast: is_global says True
    "192.0.0.8", "198.18.0.1", "240.0.0.1",
    "::1", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1",
    "2002:7f00:1::", "2002:0a00:0001::1",  # 6to4 wrapping 127.0.0.1 and 10.0.0.1 (is_global says True)
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",  # NAT64 to 127.0.0.1 and 169.254.169.254
    "::ffff:127.0.0.1", "::ffff:100.64.0.1",  # IPv4-mapped
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1 (obfuscated bits)
]
ALLOWED = ["61.150.65.235", "124.93.205.130", "8.8.8.8", "2400:3200::1", "2002:3d96:41eb::1",
           "64:ff9b::3d96:41eb", "::ffff:61.150.65.235", "www.gov.cn"]


@pytest.mark.parametrize("addr", REFUSED)
def test_refused(addr: str) -> None:
    assert address_refused(addr), addr


@pytest.mark.parametrize("addr", ALLOWED)
def test_allowed(addr: str) -> None:
    assert address_refused(addr) is None, address_refused(addr)


def test_reason_names_the_wrapped_address() -> None:
    why = address_refused("2002:7f00:1::")
    assert why is not None and "wraps 127.0.0.1" in why
