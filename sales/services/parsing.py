"""Value parsers shared by every ingest path (service calls, files, admin, API).

Each parser takes whatever a caller, a CSV cell, an XLSX cell or a pandas frame hands over (str, int, float,
Decimal, numpy scalars, date/datetime, None/NaN) and returns a clean Python value, or raises ValueError with a
message a person can act on. They are on the hot path of a million-row import, so the common cases are tried
first and nothing is allocated that need not be.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on", "да", "x", "+"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off", "нет", "-"})
# Characters that make a spreadsheet treat a text cell as a formula (OWASP "CSV injection"); exports prefix
# such cells with an apostrophe, and imports strip that apostrophe again so an exported file re-imports as-is.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_empty(value: Any) -> bool:
    """None, '', whitespace, NaN and NaT all mean "no value" (pandas fills gaps with NaN/NaT)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return value != value  # NaN and NaT are the only values not equal to themselves
    except (TypeError, ValueError):  # pragma: no cover - exotic types with odd comparisons
        return False


def parse_number(value: Any, *, max_abs: float, minimum: float | None = None) -> int | float | Decimal | str:
    """A finite number within ±max_abs (and ≥ minimum); returned in a type both database drivers accept.

    Strings are validated with float() (fast) and returned normalised (comma decimal separator → dot), so the
    database parses the exact digits; numbers are returned as they are.
    """
    if isinstance(value, str):
        text = value.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        if "_" in text:
            raise ValueError(gettext("%(value)r is not a number") % {"value": value})
        try:
            number = float(text)
        except ValueError:
            raise ValueError(gettext("%(value)r is not a number") % {"value": value}) from None
        result: int | float | Decimal | str = text
    elif isinstance(value, bool):
        raise ValueError(gettext("%(value)r is not a number") % {"value": value})
    elif isinstance(value, (int, float, Decimal)):
        number, result = float(value), value
    else:
        try:
            number = float(value)  # numpy scalars and other number-likes
        except (TypeError, ValueError):
            raise ValueError(gettext("%(value)r is not a number") % {"value": value}) from None
        result = number
    if not math.isfinite(number):
        raise ValueError(gettext("%(value)r is not a finite number") % {"value": value})
    if abs(number) >= max_abs:
        raise ValueError(gettext("%(value)r is too large (at most %(max_abs)s)") % {
                             "value": value,
                             "max_abs": format(max_abs, ",.0f"),
                         })
    if minimum is not None and number < minimum:
        raise ValueError(gettext("%(value)r must not be below %(minimum)s") % {
                             "value": value,
                             "minimum": format(minimum, "g"),
                         })
    return result


def to_decimal(value: int | float | Decimal | str, places: int) -> Decimal:
    """Exact Decimal quantised to `places` (for ORM writes and comparisons)."""
    try:
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        raise ValueError(gettext("%(value)r is not a number") % {"value": value}) from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        try:
            number = float(word)
        except ValueError:
            raise ValueError(gettext("%(value)r is not a yes/no value (use 1/0, true/false, yes/no)") % {
                                 "value": value,
                             }) from None
    else:
        try:
            number = float(value)  # ints, floats, numpy bools/ints
        except (TypeError, ValueError):
            raise ValueError(gettext("%(value)r is not a yes/no value (use 1/0, true/false, yes/no)") % {
                                 "value": value,
                             }) from None
    if number in (0.0, 1.0):
        return number == 1.0
    raise ValueError(gettext("%(value)r is not a yes/no value (use 1/0, true/false, yes/no)") % {"value": value})


_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%y")


def parse_date(value: Any) -> dt.date:
    """ISO dates (and ISO date-times, whose date part is taken), DD.MM.YYYY, and spreadsheet/pandas dates."""
    if isinstance(value, dt.datetime):  # before date: datetime is a date subclass (pandas Timestamp too)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(gettext("%(value)r is not a date (use YYYY-MM-DD)") % {"value": value})
    raise ValueError(gettext("%(value)r is not a date (use YYYY-MM-DD)") % {"value": value})


def parse_datetime(value: Any) -> dt.datetime:
    """An aware datetime; naive values and bare dates are read in the server's time zone."""
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time.min)
    elif isinstance(value, str):
        text = value.strip()
        try:
            result = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            result = dt.datetime.combine(parse_date(text), dt.time.min)
    else:
        raise ValueError(gettext("%(value)r is not a date-time (use YYYY-MM-DDTHH:MM:SS±HH:MM)") % {
                             "value": value,
                         })
    if hasattr(result, "to_pydatetime"):  # pandas Timestamp
        result = result.to_pydatetime()
    if timezone.is_naive(result):
        result = timezone.make_aware(result)
    return result


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS_RE = re.compile(r"[\t\r\n]+")


def strip_control_characters(text: str) -> str:
    """Tabs and line breaks become a space, other control characters go: files and upstreams send them, and
    one in a name made every XLSX export fail."""
    return _CONTROL_RE.sub("", _BREAKS_RE.sub(" ", text))


def parse_text(value: Any, *, max_length: int) -> str:
    """Trimmed text without control characters; a leading apostrophe that an export added against formula
    injection is removed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn codes like 1001 into 1001.0
    text = strip_control_characters(str(value)).strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    if len(text) > max_length:
        raise ValueError(gettext("is longer than %(max_length)s characters") % {"max_length": max_length})
    return text


def escape_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe; numbers pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
