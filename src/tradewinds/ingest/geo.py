"""The country of an event's visitor, offline.

Tried in order: the event's ``context.location.country``; the customer's address country
(from identify calls, in the same run or already in the warehouse); the IP address in
``context.ip``, looked up in the GeoLite2 country database that the ``geoip2fast`` package
ships (IPv4 and IPv6, MaxMind GeoLite2 data under CC BY-SA 4.0; the package's file says
which release). No network is used. Private, reserved and unknown addresses give no country.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from typing import Any

log = logging.getLogger("tradewinds.geo")

_DATA_FILE = "geoip2fast-ipv6.dat.gz"  # IPv4 and IPv6 in one file
_reader: Any = None
_reader_lock = threading.Lock()


def _geoip() -> Any:
    global _reader
    if _reader is None:
        with _reader_lock:
            if _reader is None:
                from geoip2fast import GeoIP2Fast

                _reader = GeoIP2Fast(geoip2fast_data_file=_DATA_FILE)
    return _reader


def database_source() -> str:
    """Which GeoLite2 release the lookups use, e.g. ``MAXMIND:GeoLite2-Country-…-20240618``."""
    return str(_geoip().get_database_info().get("source_info", ""))


def country_for_ip(ip: object) -> str | None:
    """ISO 3166-1 alpha-2 code of a public IP address, or None."""
    if not isinstance(ip, str) or not ip.strip():
        return None
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if not address.is_global:
        return None
    code = str(_geoip().lookup(str(address)).country_code or "")
    return code if len(code) == 2 and code.isalpha() else None
