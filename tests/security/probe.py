"""Measuring what a request or a call left behind: rows written (PostgreSQL's per-transaction
counters of inserted, updated and deleted rows per table, so a changed field is caught as well as a
new row) and files under MEDIA_ROOT."""

import io
import os
import zipfile

from django.db import connection

# Session rows change on any request that touches the session; they are not data.
IGNORED_TABLES = {"django_session"}


def write_counters() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {name: n for name, n in cursor.fetchall() if n and name not in IGNORED_TABLES}


def response_text(body: bytes) -> str:
    """What a person would read in a response: the page, or the sheets of an .xlsx/.docx."""
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return "".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()
                               if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "ignore")


def media_files(root) -> set[str]:
    found = set()
    for folder, _dirs, names in os.walk(root):
        found.update(os.path.join(folder, n) for n in names)
    return found


def writes_between(before: dict, after: dict) -> dict:
    return {table: n - before.get(table, 0) for table, n in after.items() if n != before.get(table, 0)}
