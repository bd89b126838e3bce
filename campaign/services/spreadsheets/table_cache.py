"""The table read from a large upload, kept next to the pending file between upload, preview and
confirm: openpyxl spends most of an import of a city's 20,000-row site list building its cell
objects, and without this it would do so three times for one import. Only the cell values are
kept (as JSON, in the private imports folder, swept with the pending files after a day); every
check against the reference data still runs on each step, so a preview or confirm never acts on
stale units or sites."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaign.services.spreadsheets.pending import FOLDER
from campaign.services.spreadsheets.reading import Column, Row, Table, open_workbook, read_table

KEEP_FROM_ROWS = 1000  # below this openpyxl is quick enough; no file is written
VERSION = 1


def read_table_cached(data: bytes, columns: list[Column], what: str, *, max_rows: int) -> Table:
    """``read_table(open_workbook(data), …)``, read once per file content and column set."""
    path = _path(data, columns, what, max_rows)
    cached = _load(path)
    if cached is not None:
        return cached
    table = read_table(open_workbook(data), columns, what, max_rows=max_rows)
    if len(table.rows) >= KEEP_FROM_ROWS:
        _store(path, table)
    return table


def _path(data: bytes, columns: list[Column], what: str, max_rows: int) -> str:
    digest = hashlib.sha256(data)
    digest.update(repr((VERSION, [(c.field, c.label, c.synonyms, c.required) for c in columns], what,
                        max_rows)).encode())
    return f"{FOLDER}/table-{digest.hexdigest()}.json"


def _load(path: str) -> Table | None:
    try:
        with default_storage.open(path, "rb") as handle:
            stored = json.loads(handle.read())
        rows = [Row(number=number, raw={k: _decode(v) for k, v in raw.items()}) for number, raw in stored["rows"]]
        return Table(stored["sheet"], stored["header_row"], stored["columns"], stored["labels"], rows,
                     stored["ignored"])
    except (FileNotFoundError, OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: str, table: Table) -> None:
    stored = {"sheet": table.sheet, "header_row": table.header_row, "columns": table.columns,
              "labels": table.labels, "ignored": table.ignored,
              "rows": [[row.number, {k: _encode(v) for k, v in row.raw.items()}] for row in table.rows]}
    if default_storage.exists(path):
        return
    default_storage.save(path, ContentFile(json.dumps(stored, ensure_ascii=False).encode()))


def _encode(value):
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": value.total_seconds()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _decode(value):
    if not isinstance(value, dict):
        return value
    (kind, text), = value.items()
    if kind == "datetime":
        return datetime.fromisoformat(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "time":
        return time.fromisoformat(text)
    return timedelta(seconds=text)
