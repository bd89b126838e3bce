"""Spreadsheet imports of the onboarding lists (单位通讯录, 人员名单), all or nothing. New accounts
get a random one-time password that the caller shows to the office once; no account is ever
created with a default password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from campaign.models import Membership, OrgUnit, User
from campaign.services.audit import event_record
from campaign.services.spreadsheets.records import normalize_phone

# No 0/O, 1/l/I: the office reads the password out or copies it from a printed sheet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12
UNIT_FIELDS = ("short_name", "kind", "phone", "address", "contact_name", "contact_phone", "is_active")


@dataclass
class IssuedAccount:
    full_name: str
    username: str
    unit: str
    password: str


def one_time_password() -> str:
    """Twelve random letters and digits with at least one of each kind (about 70 bits)."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.islower() for c in password) \
                and any(c.isupper() for c in password):
            return password


def _checked(parsed) -> None:
    if not parsed.is_valid:
        raise ValidationError("文件中还有错误，不能导入。请修改后重新上传。")


@transaction.atomic
def unit_list_import(*, actor: User, parsed, filename: str) -> tuple[int, int]:
    """Create and update units from a checked 单位通讯录 (parents before children). Returns
    (created, updated)."""
    _checked(parsed)
    created_by_row: dict[int, OrgUnit] = {}
    created = updated = 0
    for index in _parents_first(parsed.rows):
        row = parsed.rows[index]
        values = row.values
        if row.status == "新增":
            parent = values.get("parent_unit")
            if values.get("parent_row") is not None:
                upper = parsed.rows[values["parent_row"]]
                parent = upper.existing or created_by_row[values["parent_row"]]
            unit = OrgUnit(name=values["name"], parent=parent, kind=values["kind"])
            for name in UNIT_FIELDS:
                if name in values and name != "kind":
                    setattr(unit, name, values[name])
            unit.save()
            created_by_row[index] = unit
            created += 1
        elif row.status == "更新":
            unit = row.existing
            fields = [name for name in UNIT_FIELDS if name in values]
            for name in fields:
                setattr(unit, name, values[name])
            unit.save(update_fields=fields)
            updated += 1
    unchanged = sum(1 for r in parsed.rows if r.status == "无变化")
    event_record(actor=actor, verb="unit.import", target=actor,
                 summary=f"导入单位通讯录《{filename}》：新增 {created} 个，更新 {updated} 个，无变化 {unchanged} 个")
    return created, updated


def _parents_first(rows) -> list[int]:
    order, placed = [], set()

    def place(index: int) -> None:
        if index in placed:
            return
        parent_row = rows[index].values.get("parent_row")
        if parent_row is not None:
            place(parent_row)
        placed.add(index)
        order.append(index)

    for index in range(len(rows)):
        place(index)
    return order


@transaction.atomic
def people_list_import(*, actor: User, parsed, filename: str) -> tuple[list[IssuedAccount], int]:
    """Create the new people's accounts (each with a one-time password, returned once, never
    stored in clear) and 任职, update the existing people's name, phone and 职务. Returns
    (new accounts, updated people)."""
    _checked(parsed)
    issued: list[IssuedAccount] = []
    by_username: dict[str, User] = {}
    updated: set[int] = set()
    for row in parsed.to_write():
        values = row.values
        user = row.existing or by_username.get(values["username"])
        if user is None:
            password = one_time_password()
            user = User(username=values["username"], full_name=values["full_name"], phone=values["phone"],
                        must_change_password=True)
            user.set_password(password)
            user.save()
            by_username[user.username] = user
            issued.append(IssuedAccount(user.full_name, user.username, values["unit"].name, password))
        elif row.existing is not None:
            _update_person(user, values)
            updated.add(user.pk)
        for role in values["roles"]:
            membership, made = Membership.objects.get_or_create(
                user=user, unit=values["unit"], role=role, defaults={"title": values["title"]})
            if not made and "title" in values and membership.title != values["title"] and parsed.table.has("title"):
                membership.title = values["title"]
                membership.save(update_fields=["title"])
    unchanged = sum(1 for r in parsed.rows if r.status == "无变化")
    event_record(actor=actor, verb="people.import", target=actor,
                 summary=f"导入人员名单《{filename}》：新建账号 {len(issued)} 个（已生成一次性密码），"
                         f"更新 {len(updated)} 人，无变化 {unchanged} 行")
    return issued, len(updated)


def _update_person(user: User, values: dict) -> None:
    fields = []
    if values["full_name"] and values["full_name"] != user.full_name:
        user.full_name, fields = values["full_name"], [*fields, "full_name"]
    if values["phone"] and values["phone"] != (normalize_phone(user.phone)[0] or user.phone):
        user.phone, fields = values["phone"], [*fields, "phone"]
    if fields:
        user.save(update_fields=fields)
