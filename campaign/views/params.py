"""Numbers and ids read from a request: the one way views parse them.

``str.isdigit()`` accepts "²" and "١٢" (int() refuses the first and reads the second as 12), and a
20-digit id passes int() but not PostgreSQL's bigint. A parameter that is not plain ASCII digits
within the column's range is treated as absent, so a crafted URL shows the unfiltered page (or a
404 for an object) instead of a server error."""

from __future__ import annotations

# PostgreSQL's integer and bigint ranges: primary keys are bigint, counters and years integer.
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
MAX_IDS = 200


def parse_int(value, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """``value`` as an int if it is ASCII digits (an optional leading minus when ``minimum`` < 0)
    within [minimum, maximum]; else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    digits = text[1:] if text.startswith("-") and minimum < 0 else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A primary key: 1 … bigint max, ASCII digits only; else None."""
    return parse_int(value, minimum=1, maximum=BIGINT_MAX)


def param_int(params, name: str, default: int | None = None, *, minimum: int = 0,
              maximum: int = INT_MAX) -> int | None:
    """The integer parameter ``name`` of ``params`` (request.GET or request.POST), or ``default``."""
    number = parse_int(params.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def param_id(params, name: str) -> int | None:
    """The id parameter ``name`` of ``params``, or None."""
    return parse_id(params.get(name))


def param_ids(params, name: str, *, limit: int = MAX_IDS) -> list[int]:
    """Every valid id given as ``name`` (repeated keys, or commas within one value), in order,
    without duplicates, at most ``limit``; invalid entries are dropped."""
    seen: dict[int, None] = {}
    for value in params.getlist(name):
        for part in str(value).split(","):
            pk = parse_id(part)
            if pk is not None:
                seen.setdefault(pk, None)
    return list(seen)[:limit]


def ids_of(values, *, limit: int = MAX_IDS) -> list[int]:
    """``param_ids`` for values already taken out of a request (a list of strings)."""
    seen: dict[int, None] = {}
    for value in values:
        pk = parse_id(str(value))
        if pk is not None:
            seen.setdefault(pk, None)
    return list(seen)[:limit]
