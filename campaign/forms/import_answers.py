"""The answers to the import preview's questions (a unit, a leader or a 完成时限 the portal does not
know), read from the preview's POST: one group of fields per question, ``q-<id>`` naming the
choice. A one-click button posts ``pick=<id>:<choice>:<value>`` for a single question. Only
validation here: the answers are kept with the pending upload and applied by the next parse."""

from __future__ import annotations

from datetime import date

from campaign.models import OrgUnit, Role, TimeLimit, User
from campaign.services.spreadsheets.questions import NEW_UNIT_KINDS, Question


class AnswerError(Exception):
    """An answer that cannot be used; the message says which question and why."""


def read_answers(post, questions: list[Question]) -> dict[str, dict]:
    """``{question id: answer}`` for every question the POST answers (unanswered ones are left out)."""
    picked = _picked(post.get("pick", ""))
    answers = {}
    for question in questions:
        fields = picked.get(question.id) or {k[len(question.id) + 3:] or "choice": v for k, v in post.items()
                                             if k.startswith(f"q-{question.id}")}
        if not fields.get("choice"):
            continue
        answer = _answer(question, fields)
        answer["text"] = question.text
        answers[question.id] = answer
    return answers


def _picked(value: str) -> dict[str, dict]:
    parts = value.split(":")
    if len(parts) != 3:
        return {}
    qid, choice, target = parts
    field = {"alias": "unit", "leader": "user", "time": "limit"}.get(choice, "value")
    return {qid: {"choice": choice, field: target}}


def _answer(question: Question, fields: dict) -> dict:
    choice = fields["choice"]
    if question.kind == "unit" and choice == "alias":
        return {"action": "alias", "unit": _unit(fields.get("unit"), question, "请选择它是哪个单位的别名")}
    if question.kind == "unit" and choice == "new_unit":
        kind = fields.get("kind")
        if kind not in {k.value for k in NEW_UNIT_KINDS}:
            raise AnswerError(f"新建单位“{question.text}”：请选择单位类型。")
        parent = _unit(fields.get("parent"), question, "请选择上级单位")
        return {"action": "new_unit", "kind": kind, "parent": parent}
    if question.kind == "leader" and choice == "leader":
        user = User.objects.filter(pk=_int(fields.get("user")), is_active=True,
                                   memberships__role=Role.LEADER).first()
        if user is None:
            raise AnswerError(f"“{question.text}”：请选择是哪一位分管领导。")
        return {"action": "leader", "user": user.pk}
    if question.kind == "leader" and choice == "new_leader":
        return {"action": "new_leader", "unit": _unit(fields.get("unit"), question, "请选择新领导任职的单位")}
    if question.kind == "time" and choice == "time":
        return _time_answer(question, fields.get("limit", ""), fields.get("day", ""))
    raise AnswerError(f"“{question.text}”的回答无法识别，请重新选择。")


def _time_answer(question: Question, limit: str, day: str) -> dict:
    if limit == "date":
        try:
            return {"action": "time", "kind": TimeLimit.Kind.DATE.value, "amount": 0,
                    "day": date.fromisoformat(day).isoformat()}
        except ValueError:
            raise AnswerError(f"完成时限“{question.text}”：请填写完成日期。") from None
    if limit == "standing":
        return {"action": "time", "kind": TimeLimit.Kind.STANDING.value, "amount": 0}
    found = TimeLimit.objects.filter(pk=_int(limit.removeprefix("tl:"))).exclude(kind=TimeLimit.Kind.DATE).first()
    if found is None:
        raise AnswerError(f"完成时限“{question.text}”：请选择一种时限，或选择“指定日期”并填写日期。")
    return {"action": "time", "kind": found.kind, "amount": found.amount}


def _unit(value, question: Question, missing: str) -> int:
    unit = OrgUnit.objects.filter(pk=_int(value), is_active=True).first()
    if unit is None:
        raise AnswerError(f"“{question.text}”：{missing}。")
    return unit.pk


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def answer_choices() -> dict:
    """What the question cards offer: units (alias targets and parents), unit kinds, leaders and
    time limits."""
    units = list(OrgUnit.objects.filter(is_active=True).select_related("parent").order_by("path"))
    leaders = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct().order_by("full_name")
    return {
        "units": units,
        "parents": [u for u in units if u.kind in (OrgUnit.Kind.CITY, OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET,
                                                   OrgUnit.Kind.OFFICE)] or units,
        "kinds": NEW_UNIT_KINDS,
        "leaders": list(leaders),
        "time_limits": list(TimeLimit.objects.exclude(kind=TimeLimit.Kind.DATE)),
    }
