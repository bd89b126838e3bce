"""The 属地/行业 column of the 目标任务分解表: how a row's lead is found (``Responsibility.Basis``)."""

from __future__ import annotations

from campaign.models import OrgUnit, Responsibility
from campaign.services.spreadsheets.text import key

Basis = Responsibility.Basis

# What offices write in the column, normalised by ``key``.
WORDS = {
    "属地": Basis.PLACE, "属地管理": Basis.PLACE, "属地负责": Basis.PLACE, "属地为主": Basis.PLACE,
    "行业": Basis.TRADE, "行业监管": Basis.TRADE, "行业主管": Basis.TRADE, "行业部门": Basis.TRADE,
    "指定": Basis.FIXED, "固定": Basis.FIXED, "指定单位": Basis.FIXED,
}
TRADE_KINDS = (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.WINDOW)


def read_basis(text: str, lead_unit: OrgUnit | None, errors: list[str]) -> str:
    """The row's basis; a blank cell means 行业 when the lead is a department or window, else 指定
    (the lead named is then simply the unit that leads)."""
    if not text:
        return Basis.TRADE if lead_unit is None or lead_unit.kind in TRADE_KINDS else Basis.FIXED
    found = WORDS.get(key(text))
    if found is None:
        errors.append(f"“属地/行业”一栏填写“{text}”无法识别：请填写“属地”、“行业”或“指定”。")
        return Basis.TRADE
    return found


def basis_label(value: str) -> str:
    return Basis(value).label if value in Basis.values else ""
