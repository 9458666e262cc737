"""Which numbers can be requested where, and drawing unique E.164 numbers for them.

Country rules come from /work/shared/aws-behavior.md (documented AWS behaviour):
SIMULATOR numbers exist only in the US and only for TRANSACTIONAL messages; TOLL_FREE
only in the US and Canada; TEN_DLC only in the US; MMS only in the US and Canada, and
not on Canadian toll-free numbers (user guide, MMS by country).

Numbers are drawn with ``phonenumbers``: the metadata's example number for the country
and type, with its trailing digits randomised until the result is a valid number *of
the requested country* (``is_valid_number_for_region``; for geographic numbers also
``region_code_for_number``), of the right type, and not held by anyone; fewer digits
are randomised as attempts fail, since some countries own only narrow ranges. A released
number can be handed out again.
"""

from __future__ import annotations

import functools
import random
import threading

import phonenumbers
import pycountry
from phonenumbers import PhoneMetadata, phonenumberutil
from phonenumbers import PhoneNumberType as T

from . import model

SIMULATOR = model.enum_value("RequestableNumberType", "SIMULATOR")
TOLL_FREE = model.enum_value("RequestableNumberType", "TOLL_FREE")
TEN_DLC = model.enum_value("RequestableNumberType", "TEN_DLC")
TRANSACTIONAL = model.enum_value("MessageType", "TRANSACTIONAL")
MMS = model.enum_value("NumberCapability", "MMS")

_ONLY_IN = {SIMULATOR: {"US"}, TOLL_FREE: {"US", "CA"}, TEN_DLC: {"US"}}
_MMS_COUNTRIES = {"US", "CA"}
_NO_MMS = {("CA", TOLL_FREE)}
_GEOGRAPHIC = (T.MOBILE, T.FIXED_LINE_OR_MOBILE, T.FIXED_LINE)
_TRIES = 64
_RANDOM_DIGITS = (7, 5, 4, 3)


@functools.cache
def is_iso_country(code: str) -> bool:
    """Is ``code`` an assigned ISO 3166-1 alpha-2 code (not just two capitals)?"""
    return pycountry.countries.get(alpha_2=code) is not None


def unavailable(
    iso: str, number_type: str, message_type: str, capabilities: list[str]
) -> str | None:
    """Why no number of this kind exists (None when it may exist)."""
    countries = _ONLY_IN.get(number_type)
    if countries is not None and iso not in countries:
        return f"{number_type} numbers are not available in {iso}"
    if number_type == SIMULATOR and message_type != TRANSACTIONAL:
        return f"{number_type} numbers support only {TRANSACTIONAL} messages"
    if MMS in capabilities and iso not in _MMS_COUNTRIES:
        return f"{MMS} is not available in {iso}"
    if MMS in capabilities and (iso, number_type) in _NO_MMS:
        return f"{MMS} is not available on {number_type} numbers in {iso}"
    return None


@functools.cache
def _templates(iso: str, toll_free: bool) -> tuple[tuple[str, str], ...]:
    """(country calling code, national significant number) of the example numbers."""
    found = []
    for kind in (T.TOLL_FREE,) if toll_free else _GEOGRAPHIC:
        example = phonenumbers.example_number_for_type(iso, kind)
        if example is not None:
            nsn = phonenumbers.national_significant_number(example)
            pair = (str(example.country_code), nsn)
            if pair not in found:
                found.append(pair)
    return tuple(found)


class NumberAllocator:
    """Hands out E.164 numbers no one holds; thread-safe.

    Numbers are drawn ``batch`` at a time per (country, toll-free) and handed out from
    that stock: validating with ``phonenumbers`` in a tight loop costs a third of doing
    it between requests, where its large code path runs cache-cold.
    """

    def __init__(self, rng: random.Random, batch: int = 64):
        self._rng = rng
        self._batch = batch
        self._held: set[str] = set()
        self._stock: dict[tuple[str, bool], list[str]] = {}
        self._lock = threading.Lock()

    def allocate(self, iso: str, number_type: str) -> str | None:
        """A fresh number of ``number_type`` in ``iso``, or None if none could be found."""
        key = (iso, number_type == TOLL_FREE)
        with self._lock:
            stock = self._stock.get(key)
            if not stock:
                stock = self._stock[key] = self._draw(*key)
            return stock.pop() if stock else None

    def free(self, number: str) -> None:
        with self._lock:
            self._held.discard(number)

    def __len__(self) -> int:
        """Numbers held: handed out and not freed, or in stock."""
        return len(self._held)

    def _draw(self, iso: str, toll_free: bool) -> list[str]:
        """Up to ``batch`` new numbers, now marked held (fewer if the country runs dry)."""
        templates = _templates(iso, toll_free)
        wanted = (T.TOLL_FREE,) if toll_free else _GEOGRAPHIC
        drawn: list[str] = []
        while templates and len(drawn) < self._batch:
            for attempt in range(_TRIES):
                code, nsn = templates[attempt % len(templates)]
                # Randomise fewer digits as attempts fail: some countries own narrow ranges.
                tier = _RANDOM_DIGITS[attempt * len(_RANDOM_DIGITS) // _TRIES]
                digits = max(1, min(tier, len(nsn) - 1))
                national = (
                    nsn[: len(nsn) - digits] + f"{self._rng.randrange(10**digits):0{digits}d}"
                )
                candidate = f"+{code}{national}"
                if candidate not in self._held and _fits(code, national, iso, wanted, toll_free):
                    self._held.add(candidate)
                    drawn.append(candidate)
                    break
            else:
                break
        return drawn


# phonenumbers' own "type of this national number under this region's metadata"; private,
# so the public functions below remain the fallback (they repeat the region lookup).
_TYPE_IN_REGION = getattr(phonenumberutil, "_number_type_helper", None)


@functools.cache
def _region_metadata(iso: str, code: str) -> PhoneMetadata | None:
    """``iso``'s metadata when a type under it settles both validity and ownership.

    True when the number is checked against ``iso`` alone (toll-free) or when ``iso`` is
    the main region of its calling code without leading-digit rules: phonenumbers then
    resolves any number valid under ``iso``'s metadata to ``iso`` itself.
    """
    metadata = PhoneMetadata.metadata_for_region(iso)
    if _TYPE_IN_REGION is None or metadata is None:
        return None
    if phonenumbers.region_code_for_country_code(int(code)) != iso or metadata.leading_digits:
        return None
    return metadata


def _fits(code: str, nsn: str, iso: str, wanted: tuple[int, ...], toll_free: bool) -> bool:
    """Is +<code><nsn> a valid number of a wanted type that belongs to ``iso``?

    A toll-free number is shared across a calling code (+1 800 is both US and CA), so it
    is checked against ``iso``'s metadata; a geographic one must also resolve to ``iso``.
    """
    metadata = PhoneMetadata.metadata_for_region(iso) if toll_free else _region_metadata(iso, code)
    if _TYPE_IN_REGION is not None and metadata is not None:
        return _TYPE_IN_REGION(nsn, metadata) in wanted
    zeros = len(nsn) - len(nsn.lstrip("0"))
    number = phonenumbers.PhoneNumber(
        country_code=int(code),
        national_number=int(nsn),
        italian_leading_zero=True if zeros else None,
        number_of_leading_zeros=zeros if zeros > 1 else None,
    )
    if toll_free:
        if not phonenumbers.is_valid_number_for_region(number, iso):
            return False
    elif phonenumbers.region_code_for_number(number) != iso:
        return False
    return phonenumbers.number_type(number) in wanted
