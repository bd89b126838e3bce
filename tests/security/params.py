"""Hostile values for every numeric, list and filter parameter a view reads.

Which parameters a page reads is not listed by hand: a first request runs with Django's QueryDict
lookups recorded (``get``, ``getlist``, ``[]``, ``in``), so a parameter added to a view next month
is fuzzed without anyone remembering to add it here. Each recorded name is then sent with each
hostile value, all names at once; with the worst values each name is then also sent alone (a view
that refuses one parameter early must not hide a crash on the next), unless the page answered the
all-at-once request 200 having read every name: then nothing was refused early."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from django.http import QueryDict

# Unicode digits pass str.isdigit() but not int(); 20 digits pass int() but not PostgreSQL's
# bigint; the rest are what a careless int(), float() or split(",") meets in the wild.
# One value per way of failing: "9" * 20 stands for every number past bigint (2^63 and up), "-1"
# and "0" for "-0", "\x00" for any text holding a NUL (refused by campaign.views.middleware).
BAD_LIST = ["1", "²", "9" * 20]
HOSTILE = [
    "²", "١٢", "9" * 20, "2147483648", "-1", "0", "1e3", "1.5", "0x10", " 7 ", "\x00", "x" * 5000,
    "1,²,,99999999999999999999", "[]", "{}", "NaN", "+1", BAD_LIST,
]
# The values each name is also tried alone with (all of HOSTILE per name would be ~10× slower).
WORST = ["²", "9" * 20, "1e3", BAD_LIST]
# Names the framework itself reads on every request: not the view's parameters.
IGNORED = {"csrfmiddlewaretoken"}


class Recorder:
    def __init__(self):
        self.names: list[str] = []

    def add(self, key):
        if isinstance(key, str) and key not in IGNORED and key not in self.names:
            self.names.append(key)


@contextmanager
def recording():
    """Record the names looked up in any QueryDict (request.GET, request.POST, copies of them)."""
    recorder = Recorder()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def wrap(name):
        original = originals[name]

        def looked_up(self, key, *args, **kwargs):
            recorder.add(key)
            return original(self, key, *args, **kwargs)

        return looked_up

    with mock.patch.multiple(QueryDict, **{name: wrap(name) for name in originals}):
        yield recorder


def all_at_once(names: list[str]) -> list[dict]:
    """Query strings / form bodies naming every parameter, one per hostile value."""
    return [dict.fromkeys(names, value) for value in HOSTILE]


def each_alone(names: list[str], value) -> list[dict]:
    """Each parameter alone with one of the worst values (none when the page reads only one)."""
    return [{name: value} for name in names] if value in WORST and len(names) > 1 else []
