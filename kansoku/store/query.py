"""Small helpers shared by the store's queries: id chunks, filter values, JSON values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from kansoku.errors import DateError, StoreError
from kansoku.model import CERTAINTY_ORDER

CHUNK = 500  # ids per IN (…) list, well under every dialect's parameter limit


def chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def jsonable(value: Any) -> Any:
    """Dates and datetimes as ISO strings, everything else as is."""
    return value.isoformat() if isinstance(value, date) else value


def as_date(value: date | str, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as err:
        raise DateError(f"{what} {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-10-15") from err


def certainties_from(min_certainty: str) -> tuple[str, ...]:
    """The certainties at or above `min_certainty`, for a `--min-certainty` filter."""
    if min_certainty not in CERTAINTY_ORDER:
        raise StoreError(f"unknown certainty {min_certainty!r}: use one of {', '.join(CERTAINTY_ORDER)}")
    return CERTAINTY_ORDER[CERTAINTY_ORDER.index(min_certainty) :]
