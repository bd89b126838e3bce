"""Questions the import preview asks the office instead of refusing a sheet: a unit, a leader or a
完成时限 the portal does not know. One question per distinct text (however many rows write it),
each with one-click answers; the answers travel with the pending upload (its options, as
``{question id: answer}``) and the next parse applies them. Nothing is written until the import is
confirmed; then ``load.write_answers`` creates what the answers ask for, in the import's transaction,
and an alias answered here is remembered for the next sheet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from campaign.models import OrgUnit, TimeLimit, User
from campaign.services.spreadsheets.lookups import Unknown
from campaign.services.spreadsheets.text import key, split_title

KIND_LABELS = {"unit": "单位", "leader": "领导", "time": "完成时限"}
NEW_UNIT_KINDS = [k for k in OrgUnit.Kind if k not in (OrgUnit.Kind.OFFICE, OrgUnit.Kind.CITY)]


def question_id(kind: str, text: str) -> str:
    """A stable id for the question about ``text`` (the same text in another row is the same question)."""
    return hashlib.sha1(f"{kind}|{key(text)}".encode()).hexdigest()[:12]


@dataclass
class Place:
    sheet: str
    row: int
    column: str


@dataclass
class Question:
    id: str
    kind: str
    text: str
    message: str
    suggestion: object = None
    candidates: list = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    answer: dict | None = None

    @property
    def where(self) -> str:
        """Where the text appears, in the office's words (the first few places)."""
        shown = "、".join(f"第{p.row}行「{p.column}」" for p in self.places[:5])
        more = f"等 {len(self.places)} 处" if len(self.places) > 5 else ""
        sheets = sorted({p.sheet for p in self.places})
        return f"工作表“{'、'.join(sheets)}”{shown}{more}"

    @property
    def title(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Answers:
    """The office's answers, read into objects once per parse. New units, leaders and time limits
    are unsaved instances shared by every row that names them (saved on confirm)."""

    given: dict
    questions: dict[str, Question] = field(default_factory=dict)
    aliases: dict[str, OrgUnit] = field(default_factory=dict)  # text → unit, remembered on confirm
    new_units: dict[str, OrgUnit] = field(default_factory=dict)
    new_leaders: dict[str, tuple[User, OrgUnit, str]] = field(default_factory=dict)
    leaders: dict[str, User] = field(default_factory=dict)
    times: dict[str, tuple[str, int, date | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, given: dict | None, *, user_unit: OrgUnit | None = None) -> Answers:
        answers = cls(given=dict(given or {}))
        units = OrgUnit.objects.in_bulk([a.get("unit") for a in answers.given.values() if a.get("unit")] +
                                        [a.get("parent") for a in answers.given.values() if a.get("parent")])
        users = User.objects.in_bulk([a["user"] for a in answers.given.values() if a.get("user")])
        for answer in answers.given.values():
            answers._read_one(answer, units, users)
        return answers

    def _read_one(self, answer: dict, units: dict, users: dict) -> None:
        text, action = answer.get("text", ""), answer.get("action")
        if action == "alias" and answer.get("unit") in units:
            self.aliases[text] = units[answer["unit"]]
        elif action == "new_unit" and answer.get("kind") in OrgUnit.Kind.values:
            parent = units.get(answer.get("parent"))
            self.new_units[key(text)] = OrgUnit(name=text[:100], kind=answer["kind"], parent=parent)
        elif action == "leader" and answer.get("user") in users:
            self.leaders[key(text)] = users[answer["user"]]
        elif action == "new_leader" and answer.get("unit") in units:
            name, title = split_title(text)
            user = User(username=answer.get("username", ""), full_name=name[:50])
            self.new_leaders[key(text)] = (user, units[answer["unit"]], title[:50])
        elif action == "time" and answer.get("kind") in TimeLimit.Kind.values:
            day = date.fromisoformat(answer["day"]) if answer.get("day") else None
            self.times[key(text)] = (answer["kind"], int(answer.get("amount") or 0), day)

    def unit(self, text: str) -> OrgUnit | None:
        return self.new_units.get(key(text))

    def leader(self, text: str) -> User | None:
        if key(text) in self.leaders:
            return self.leaders[key(text)]
        found = self.new_leaders.get(key(text))
        return found[0] if found else None

    def ask(self, unknown: Unknown, place: Place) -> Question:
        """Record the question (once per kind and text) with one more place it appears."""
        qid = question_id(unknown.kind, unknown.text)
        question = self.questions.get(qid)
        if question is None:
            question = Question(qid, unknown.kind, unknown.text, unknown.message, unknown.suggestion,
                                unknown.candidates, answer=self.given.get(qid))
            self.questions[qid] = question
        question.places.append(place)
        return question

    @property
    def open(self) -> list[Question]:
        return list(self.questions.values())


def leader_username(text: str) -> str:
    """A user name for a leader created from the preview: the office may change it later."""
    digest = hashlib.sha1(key(text).encode()).hexdigest()[:6]
    return f"leader_{digest}"
