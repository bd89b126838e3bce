"""The 人员名单: one person's post per row (姓名, 单位, 职务, 角色, 手机号码). A person is matched to
an existing account by user name, then by mobile number, then by name within the same unit; a
person on several rows (two posts) is one account with several 任职. New people get an account
whose one-time password the office sees once, after confirming."""

from __future__ import annotations

import re
from collections import defaultdict

from campaign.models import Membership, Role, User
from campaign.services.spreadsheets.lookups import NotFound, UnitDirectory
from campaign.services.spreadsheets.reading import Column, Row, Table, open_workbook, read_table
from campaign.services.spreadsheets.records import (
    RecordImport,
    RecordRow,
    cell,
    normalize_phone,
    not_a_record,
    problem,
)
from campaign.services.spreadsheets.text import key, split_multi

KIND = "people"
WHAT = "人员名单"
COLUMNS = [
    Column("full_name", "姓名", ("名字", "人员姓名"), True),
    Column("unit", "单位", ("所在单位", "工作单位", "单位名称", "部门", "所在部门", "单位（部门）"), True),
    Column("title", "职务", ("职位", "现任职务", "职务职称")),
    Column("role", "角色", ("系统角色", "身份", "用户角色", "系统身份")),
    Column("phone", "手机号码", ("手机", "手机号", "联系电话", "电话", "联系方式", "移动电话")),
    Column("username", "用户名", ("账号", "登录名", "登录账号", "系统账号")),
]
FIELDS = [c.field for c in COLUMNS]
ROLE_WORDS = {
    Role.OFFICE: ("创文办工作人员", "创文办", "工作人员", "创文办人员"),
    Role.LEADER: ("分管领导", "领导", "市领导", "分管市领导", "责任领导"),
    Role.UNIT_HEAD: ("单位负责人", "负责人", "主要负责人", "分管负责人"),
    Role.LIAISON: ("联络员", "联系人", "专职联络员"),
    Role.ARCHIVIST: ("资料员", "信息员", "档案员", "资料管理员"),
    Role.INSPECTOR: ("督查员", "督查", "督导员", "暗访员"),
    Role.ASSESSOR: ("第三方测评", "测评员", "第三方", "第三方测评员"),
}
ROLE_BY_KEY = {key(word): role for role, words in ROLE_WORDS.items() for word in words}
# 职务 that say the role when the 角色 cell is empty.
TITLE_ROLES = (("联络员", Role.LIAISON), ("资料员", Role.ARCHIVIST), ("信息员", Role.ARCHIVIST),
               ("督查员", Role.INSPECTOR))
_NAME_WITH_TITLE = re.compile(r"^(.+?)[(（](.+)[)）]$")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def parse_people(data: bytes, *, filename: str = "") -> RecordImport:
    table = read_table(open_workbook(data, filename), COLUMNS, WHAT, kind=KIND)
    return _Parser(table).parse()


def role_of(text: str) -> str | None:
    return ROLE_BY_KEY.get(key(text)) or next((r for r in Role if key(r.label) == key(text)), None)


class _Parser:
    def __init__(self, table: Table):
        self.table = table
        self.units = UnitDirectory()
        users = list(User.objects.all())
        self.by_username = {key(u.username): u for u in users}
        self.by_phone: dict[str, list[User]] = defaultdict(list)
        for user in users:
            phone, _problem = normalize_phone(user.phone)
            if phone:
                self.by_phone[phone].append(user)
        self.posts: dict[tuple[int, int], dict[str, Membership]] = defaultdict(dict)
        self.by_name_unit: dict[tuple[str, int], list[User]] = defaultdict(list)
        by_id = {u.pk: u for u in users}
        for membership in Membership.objects.all():
            self.posts[(membership.user_id, membership.unit_id)][membership.role] = membership
            self.by_name_unit[(key(by_id[membership.user_id].full_name), membership.unit_id)].append(by_id[membership.user_id])
        self.people: dict[tuple, int] = {}  # a person's identity → index of their first row
        self.posts_seen: dict[tuple, int] = {}
        self.new_names: set[str] = set()
        self.rows: list[RecordRow] = []

    def parse(self) -> RecordImport:
        for source in self.table.rows:
            skipped = not_a_record(source)
            if skipped:
                row = RecordRow(source.number, [cell(source, self.table, f) for f in FIELDS], understood=[skipped],
                                values={"skip": True})
            else:
                row = self._read(source)
                if not row.errors:
                    self._match(row)
            self.rows.append(row)
        return RecordImport(table=self.table, rows=self.rows, headers=[c.label for c in COLUMNS])

    def _read(self, source: Row) -> RecordRow:
        t = self.table
        row = RecordRow(source.number, [cell(source, t, f) for f in FIELDS])
        values, errors = row.values, row.errors
        typed = cell(source, t, "full_name")
        name, title = re.sub(r"\s+", "", typed), cell(source, t, "title")
        bracket = _NAME_WITH_TITLE.match(name)
        if bracket:
            name = bracket.group(1)
            title = title or bracket.group(2)
            row.understood.append(f"姓名：{name}，职务：{title}")
        if not name:
            errors.append(problem(t, "full_name", "", "缺少姓名。"))
        elif len(name) > 50:
            errors.append(problem(t, "full_name", typed, "过长（最多 50 字）。"))
        if len(title) > 50:
            errors.append(problem(t, "title", title, "过长（最多 50 字）。"))
        values.update(full_name=name, title=title)
        unit_text = cell(source, t, "unit")
        values["unit"] = None
        if not unit_text:
            errors.append(problem(t, "unit", "", "缺少单位。"))
        else:
            try:
                values["unit"] = self.units.resolve(unit_text, "单位")
            except NotFound as exc:
                errors.append(problem(t, "unit", unit_text, str(exc)))
        values["roles"] = self._roles(source, title, row)
        phone_text = cell(source, t, "phone")
        phone, message = normalize_phone(phone_text)
        if phone is None:
            errors.append(problem(t, "phone", phone_text, message))
        elif phone != phone_text:
            row.understood.append(f"手机号码：{phone}")
        values["phone"] = phone or ""
        username = cell(source, t, "username")
        if username and not USERNAME.match(username):
            errors.append(problem(t, "username", username, "用户名只能包含字母、数字和 @ . + - _。"))
        values["username"] = username
        return row

    def _roles(self, source: Row, title: str, row: RecordRow) -> list[str]:
        text = cell(source, self.table, "role")
        roles = []
        for part in split_multi(text):
            role = role_of(part)
            if role is None:
                choices = "、".join(Role.labels)
                row.errors.append(problem(self.table, "role", part, f"无法识别的角色，可填：{choices}。"))
            elif role not in roles:
                roles.append(role)
        if not text:
            role = next((r for word, r in TITLE_ROLES if word in title), None)
            if role is None:
                choices = "、".join(Role.labels)
                row.errors.append(problem(self.table, "role", "", f"缺少角色，请填写：{choices}。"))
            else:
                roles.append(role)
                row.understood.append(f"角色：{Role(role).label}（按职务推断）")
        return roles

    def _match(self, row: RecordRow) -> None:
        values = row.values
        unit = values["unit"]
        user, how = self._existing(values, row)
        if row.errors:
            return
        identity = ("user", user.pk) if user else (
            ("username", key(values["username"])) if values["username"] else
            ("phone", values["phone"]) if values["phone"] else ("name", key(values["full_name"]), unit.pk))
        first = self.people.get(identity)
        if first is not None:
            self._another_post(row, self.rows[first] if first < len(self.rows) else None)
        else:
            self.people[identity] = len(self.rows)
        row.existing = user
        self._check_post_twice(row, identity)
        if user is None:
            if first is None:
                values["username"] = self._new_username(values, row)
            return
        row.understood.append(f"对应系统用户：{user.username}（按{how}匹配）")
        self._changes(row, user, unit)

    def _existing(self, values: dict, row: RecordRow) -> tuple[User | None, str]:
        if values["username"]:
            user = self.by_username.get(key(values["username"]))
            if user is not None:
                return user, "用户名"
            return None, ""
        if values["phone"]:
            found = self.by_phone.get(values["phone"], [])
            if len(found) == 1:
                return found[0], "手机号码"
            if len(found) > 1:
                names = "、".join(u.username for u in found)
                row.errors.append(problem(self.table, "phone", values["phone"],
                                          f"系统中有多个用户使用这个手机号码（{names}），请在“用户名”列写明是哪一个。"))
                return None, ""
        found = self.by_name_unit.get((key(values["full_name"]), values["unit"].pk), [])
        found = list({u.pk: u for u in found}.values())
        if len(found) == 1:
            return found[0], "姓名和单位"
        if len(found) > 1:
            row.errors.append(problem(self.table, "full_name", values["full_name"],
                                      "该单位有同名用户，请在“用户名”列写明是哪一个。"))
        return None, ""

    def _another_post(self, row: RecordRow, first: RecordRow | None) -> None:
        if first is None:
            return
        row.understood.append(f"与第{first.number}行是同一人（另一任职）")
        if first.values["full_name"] != row.values["full_name"]:
            row.errors.append(problem(self.table, "full_name", row.values["full_name"],
                                      f"与第{first.number}行的手机号码或用户名相同，但姓名不同（“{first.values['full_name']}”）。"))
        row.values["username"] = first.values["username"]
        row.values["same_as"] = first.number

    def _check_post_twice(self, row: RecordRow, identity: tuple) -> None:
        for role in row.values["roles"]:
            post = (identity, row.values["unit"].pk, role)
            if post in self.posts_seen:
                row.errors.append(f"与第{self.posts_seen[post]}行重复：同一人在同一单位的同一角色只需填写一行。")
                return
            self.posts_seen[post] = row.number

    def _new_username(self, values: dict, row: RecordRow) -> str:
        """The person's own user name, else their mobile number, else one made from the row."""
        mobile = values["phone"] if values["phone"].isdigit() else ""
        username = values["username"] or mobile or f"ry{row.number:05d}"
        base, suffix = username, 1
        while key(username) in self.by_username or key(username) in self.new_names:
            suffix += 1
            username = f"{base}_{suffix}"
        if username != values["username"]:
            row.understood.append(f"新账号用户名：{username}")
        self.new_names.add(key(username))
        return username

    def _changes(self, row: RecordRow, user: User, unit) -> None:
        values = row.values
        if values["full_name"] and values["full_name"] != user.full_name:
            row.changed.append("姓名")
        if values["phone"] and values["phone"] != (normalize_phone(user.phone)[0] or user.phone):
            row.changed.append("手机号码")
        posts = self.posts.get((user.pk, unit.pk), {})
        for role in values["roles"]:
            membership = posts.get(role)
            if membership is None:
                row.changed.append(f"新增任职（{unit.name}·{Role(role).label}）")
            elif self.table.has("title") and values["title"] != membership.title:
                row.changed.append("职务")
