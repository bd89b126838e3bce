"""The site list (点位清单): one 点位 per row, matched to existing sites by district and name, so
the same file can be imported again to update addresses, coordinates or adopting units."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from campaign.models import OrgUnit, Site
from campaign.models.reference import LATITUDE_RANGE, LONGITUDE_RANGE
from campaign.services.spreadsheets.lookups import DistrictDirectory, NotFound, SiteTypeDirectory, UnitDirectory
from campaign.services.spreadsheets.reading import Column, Row, RowErrorSummary, Table, open_workbook, read_table
from campaign.services.spreadsheets.text import cell_text, key, parse_bool

WHAT = "点位清单"
KIND = "sites"
COLUMNS = [
    Column("name", "点位名称", ("名称", "点位", "点位名"), True),
    Column("site_type", "类型", ("点位类型", "类别", "点位类别"), True),
    Column("district", "区", ("所属区", "区县", "所在区", "辖区", "所属区县", "县区"), True),
    Column("street", "街道", ("所属街道", "街道乡镇", "乡镇街道", "乡镇", "所在街道")),
    Column("address", "地址", ("详细地址", "位置")),
    Column("longitude", "经度", ("lng", "lon", "longitude")),
    Column("latitude", "纬度", ("lat", "latitude")),
    Column("coordinates", "经纬度", ("坐标", "GPS坐标", "经纬度坐标", "位置坐标", "定位")),
    Column("adopting_unit", "包保单位", ("包联单位", "包保责任单位", "包保部门", "包联部门", "包保联系单位")),
    Column("is_chronic", "顽疾点位", ("是否顽疾点位",)),
    Column("is_active", "启用", ("是否启用",)),
]
PREVIEW_FIELDS = [c.field for c in COLUMNS if c.field != "coordinates"]
FIELD_LABELS = {"site_type": "类型", "street": "街道", "address": "地址", "longitude": "经度", "latitude": "纬度",
                "adopting_unit": "包保单位", "is_chronic": "顽疾点位", "is_active": "启用"}
LON_RANGE, LAT_RANGE = LONGITUDE_RANGE, LATITUDE_RANGE
MICRO = Decimal("0.000001")


@dataclass
class SiteRow:
    number: int
    cells: list[str]
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    existing: Site | None = None
    changed: list[str] = field(default_factory=list)
    sheet: str = ""
    hidden: bool = False
    understood: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.errors:
            return "有错误"
        if self.existing is None:
            return "新增"
        return "更新" if self.changed else "无变化"


@dataclass
class SiteImport(RowErrorSummary):
    table: Table
    rows: list[SiteRow]

    def counts(self) -> dict[str, int]:
        counts = {"新增": 0, "更新": 0, "无变化": 0}
        for row in self.rows:
            if not row.errors:
                counts[row.status] += 1
        return counts

    @property
    def changes_nothing(self) -> bool:
        return self.is_valid and all(r.status == "无变化" for r in self.rows)


MAX_ROWS = 20000  # a city's whole site list in one file


def parse_sites(data: bytes, *, filename: str = "") -> SiteImport:
    table = read_table(open_workbook(data, filename, max_rows=MAX_ROWS), COLUMNS, WHAT, max_rows=MAX_ROWS, kind=KIND)
    parser = _Parser(table)
    return SiteImport(table=table, rows=[parser.add(row) for row in table.rows])


class _Parser:
    def __init__(self, table: Table):
        self.table = table
        self.types = SiteTypeDirectory()
        self.places = DistrictDirectory()
        self.units = UnitDirectory()
        self.existing = {(s.district_id, key(s.name)): s for s in Site.objects.all()}
        self.seen: dict[tuple, int] = {}
        # A city's list names the same few districts, types and units thousands of times.
        self.resolved: dict[tuple, tuple] = {}

    def add(self, source: Row) -> SiteRow:
        row = _Texts(source)
        result = SiteRow(row.number, [self._typed(row, f) for f in PREVIEW_FIELDS], sheet=source.sheet,
                         hidden=source.hidden)
        values, errors = result.values, result.errors
        errors.extend(source.problems)
        name = row.text("name")
        if not name:
            errors.append("缺少点位名称。")
        elif len(name) > 100:
            errors.append(f"点位名称过长（{len(name)} 字，最多 100 字）。")
        values["site_type"] = self._lookup(lambda: self.types.resolve(row.text("site_type"), "类型"),
                                           row.text("site_type"), "缺少点位类型。", errors, "type")
        district = self._lookup(lambda: self.places.district(row.text("district")), row.text("district"),
                                "缺少所属区。", errors, "district")
        if self.table.has("street"):
            values["street"] = None
            if row.text("street") and district is not None:
                values["street"] = self._lookup(lambda: self.places.street(row.text("street"), district),
                                                row.text("street"), "", errors, ("street", district.pk))
        self._optional(row, result)
        if name and district is not None:
            self._match(result, name, district)
        return result

    def _typed(self, row: Row, name: str) -> str:
        """The cell as typed; the 经度 cell shows a one-column 经纬度 when the sheet has that instead."""
        if name == "longitude" and not row.text(name) and self.table.has("coordinates"):
            return row.text("coordinates")
        return row.text(name)

    def _lookup(self, resolve, text: str, missing: str, errors: list[str], what):
        if not text:
            if missing:
                errors.append(missing)
            return None
        memo = (what, text)
        if memo not in self.resolved:
            try:
                self.resolved[memo] = (resolve(), None)
            except NotFound as exc:
                self.resolved[memo] = (None, str(exc))
        found, problem = self.resolved[memo]
        if problem:
            errors.append(problem)
        return found

    def _optional(self, row: Row, result: SiteRow) -> None:
        values, errors = result.values, result.errors
        if self.table.has("address"):
            values["address"] = row.text("address")
            if len(values["address"]) > 200:
                errors.append(f"地址过长（{len(values['address'])} 字，最多 200 字）。")
        lon_text, lat_text = row.text("longitude"), row.text("latitude")
        if self.table.has("coordinates") and not lon_text and not lat_text and row.text("coordinates"):
            values["longitude"], values["latitude"] = coordinate_pair(row.text("coordinates"), errors, result.understood)
        elif self.table.has("longitude") or self.table.has("latitude"):
            values["longitude"], values["latitude"] = coordinates(lon_text, lat_text, errors, result.understood)
        if self.table.has("adopting_unit"):
            text = row.text("adopting_unit")
            values["adopting_unit"] = self._lookup(lambda: self.units.resolve(text, "包保单位"), text, "", errors, "unit")
        for name, label in (("is_chronic", "顽疾点位"), ("is_active", "启用")):
            if self.table.has(name):
                flag = parse_bool(row.text(name))
                if flag is None:
                    errors.append(f"{label}“{row.text(name)}”请填“是”或“否”。")
                if name == "is_active" and not row.text(name):
                    flag = True
                values[name] = bool(flag)

    def _match(self, result: SiteRow, name: str, district: OrgUnit) -> None:
        identity = (district.pk, key(name))
        if identity in self.seen:
            result.errors.append(f"点位“{name}”与第{self.seen[identity]}行重复：同一区内点位名称不能相同。")
            return
        self.seen[identity] = result.number
        result.values.update(name=name, district=district)
        result.existing = self.existing.get(identity)
        if result.existing is not None:
            result.changed = [
                FIELD_LABELS[f] for f, v in result.values.items()
                if f in FIELD_LABELS and getattr(result.existing, f) != v
            ]


# One coordinate as people write it: 114.305215 · E114.305215 · 东经114.305215 · 114°18′18.77″E ·
# 114度18分18.77秒 · 114°18.3128′ (degrees, minutes, seconds, each optional after the degrees).
_ANGLE = re.compile(
    r"(东经|北纬|西经|南纬|[ENWS])?\s*(\d+(?:\.\d+)?)\s*"
    r"(?:[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′分]\s*(?:(\d+(?:\.\d+)?)\s*(?:\"|″|''|′′|秒)?)?)?)?\s*([ENWS])?",
    re.I,
)
_LONGITUDE_MARKS = {"东经", "e", "西经", "w"}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_angle(text: str) -> tuple[Decimal | None, str]:
    """(decimal degrees, hemisphere mark or "") of one coordinate cell, or (None, "") when the
    cell is not a coordinate."""
    folded = _folded(text)
    match = _ANGLE.fullmatch(folded)
    if match is None:
        return None, ""
    lead, degrees, minutes, seconds, tail = match.groups()
    mark = (lead or tail or "").lower()
    value = Decimal(degrees)
    if minutes is not None:
        value += Decimal(minutes) / 60
    if seconds is not None:
        value += Decimal(seconds) / 3600
    if mark in {"西经", "w", "南纬", "s"}:
        value = -value
    return value, mark


def coordinate_pair(text: str, errors: list[str], understood: list[str]) -> tuple[Decimal | None, Decimal | None]:
    """A one-column 经纬度 (“114.305215,30.592781”, “30.592781 114.305215”, “E114°18′18″ N30°35′34″”):
    longitude and latitude told apart by their marks, else by their size."""
    folded = _folded(text)
    parts = [p for p in re.split(r"[,，;；/、|]+|\s{1,}(?=[东北西南ENWSenws\d])", folded) if p.strip()]
    if len(parts) != 2:
        errors.append(f"经纬度“{text}”请写成“经度,纬度”，如“114.305215,30.592781”。")
        return None, None
    first, second = (parse_angle(p.strip()) for p in parts)
    if first[0] is None or second[0] is None:
        errors.append(f"经纬度“{text}”无法识别，请写成“经度,纬度”，如“114.305215,30.592781”。")
        return None, None
    lon_text, lat_text = parts[0].strip(), parts[1].strip()
    if second[1] in _LONGITUDE_MARKS or (not first[1] and not second[1] and _inside(first[0], LAT_RANGE)
                                         and _inside(second[0], LON_RANGE) and not _inside(first[0], LON_RANGE)):
        lon_text, lat_text = lat_text, lon_text
    return coordinates(lon_text, lat_text, errors, understood, shown=True)


class _Texts:
    """A data row's cells as text, each converted once (a 20,000-row list reads every cell
    several times)."""

    __slots__ = ("number", "texts")

    def __init__(self, row: Row):
        self.number = row.number
        self.texts = {name: cell_text(value) for name, value in row.raw.items()}

    def text(self, name: str) -> str:
        return self.texts.get(name, "")


def coordinates(lon_text: str, lat_text: str, errors: list[str], understood: list[str] | None = None,
                *, shown: bool = False) -> tuple[Decimal | None, Decimal | None]:
    """Longitude and latitude in decimal degrees inside China, both or neither. ``understood``
    gets the decimal reading of a coordinate not typed as a plain decimal number."""
    if not lon_text and not lat_text:
        return None, None
    if not lon_text or not lat_text:
        errors.append("经度和纬度要同时填写（或同时留空）。")
        return None, None
    lon, lat = _degrees(lon_text, "经度", errors), _degrees(lat_text, "纬度", errors)
    if lon is None or lat is None:
        return None, None
    if not _inside(lon, LON_RANGE) or not _inside(lat, LAT_RANGE):
        if _inside(lat, LON_RANGE) and _inside(lon, LAT_RANGE):
            errors.append(f"经度“{lon_text}”和纬度“{lat_text}”可能填反了（经度在前，约 73～136；纬度约 3～54）。")
        else:
            bad = [f"经度“{lon_text}”" if not _inside(lon, LON_RANGE) else "",
                   f"纬度“{lat_text}”" if not _inside(lat, LAT_RANGE) else ""]
            errors.append(f"{''.join(bad)}超出中国境内范围（经度 73～136，纬度 3～54）。")
        return None, None
    lon, lat = lon.quantize(MICRO), lat.quantize(MICRO)
    if understood is not None and (shown or not _plain(lon_text) or not _plain(lat_text)):
        understood.append(f"经度 {lon}，纬度 {lat}")
    return lon, lat


def _plain(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _degrees(text: str, label: str, errors: list[str]) -> Decimal | None:
    value, _mark = parse_angle(text)
    if value is None:
        errors.append(f"{label}“{text}”不是数字，请填写十进制度数（如 114.305215）。")
        return None
    return value


def _inside(value: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    return bounds[0] <= value <= bounds[1]
