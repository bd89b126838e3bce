"""Replaying the past: every row written inside ``at(moment)`` carries that moment."""

from contextlib import contextmanager
from datetime import datetime

import time_machine


@contextmanager
def at(moment: datetime):
    with time_machine.travel(moment, tick=False):
        yield
