"""Spreadsheet import and export of the reference data (openpyxl): the office's 目标任务分解表
(indicator tree + responsibility matrix) and the site list. Parsing checks every row against the
reference data and never writes; the writes are done by the import services in campaign.services."""

from campaign.services.spreadsheets.framework_sheet import FrameworkImport, parse_framework
from campaign.services.spreadsheets.reading import MAX_BYTES, SheetError
from campaign.services.spreadsheets.sites_sheet import SiteImport, parse_sites
from campaign.services.spreadsheets.writing import (
    XLSX_TYPE,
    append_row,
    cell_for,
    framework_template,
    framework_workbook,
    put,
    sites_template,
    sites_workbook,
    to_bytes,
)

__all__ = [
    "MAX_BYTES",
    "XLSX_TYPE",
    "FrameworkImport",
    "SheetError",
    "SiteImport",
    "append_row",
    "cell_for",
    "framework_template",
    "framework_workbook",
    "parse_framework",
    "parse_sites",
    "put",
    "sites_template",
    "sites_workbook",
    "to_bytes",
]
