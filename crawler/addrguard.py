"""Which addresses the crawler may dial: globally routable ones only (`ipaddress.is_global`), minus an
explicit deny list of special-use ranges that `is_global` lets through, with IPv6 transition
addresses unwrapped first so an IPv4 inside them is judged too (6to4 2002::/16, Teredo 2001::/32,
NAT64 64:ff9b::/96 and 64:ff9b:1::/48, IPv4-mapped and -compatible).

Why both: `is_global` is False for 100.64.0.0/10 (shared address space, where cloud metadata
services such as 100.100.100.200 live) and the private ranges, but True for multicast, for
192.0.0.0/24 on some Python versions, and for 6to4/NAT64 addresses that wrap 127.0.0.1.
"""

from __future__ import annotations

import ipaddress

__all__ = ["address_refused", "embedded_ipv4"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DENY = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
))
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 transition address carries (the packets end up there)."""
    out: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)  # (server, client)
    if any(ip in net for net in _NAT64) or (int(ip) >> 32 == 0 and int(ip) > 1):  # NAT64; IPv4-compatible ::a.b.c.d
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def _refused(ip: IPAddress) -> str | None:
    for net in DENY:
        if ip.version == net.version and ip in net:
            return f"special-use range {net}"
    if not ip.is_global:
        return "not globally routable"
    return None


def address_refused(host: str) -> str | None:
    """Why this IP literal may not be dialled, or None (also None for a name: names are resolved and
    each answer checked by the caller)."""
    try:
        ip = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    why = _refused(ip)
    if why:
        return f"{ip}: {why}"
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            why = _refused(inner)
            if why:
                return f"{ip} wraps {inner}: {why}"
    return None
