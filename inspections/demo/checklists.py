"""Demo checklists: one per site type, each item tied to the closest 实地考察 standard."""

from __future__ import annotations

from decimal import Decimal

from campaign.models import Framework, Indicator, Method, SiteType, User

from ..models import Checklist
from ..services import checklist_create
from .content import CHECKLISTS, parse


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _grams(standards: list[Indicator]) -> list[tuple[Indicator, set[str], set[str]]]:
    return [(s, _bigrams(s.name), _bigrams(s.text)) for s in standards]


def _best(words: set[str], grams) -> tuple[Indicator | None, int]:
    """Shared words with the standard's name count double (the name says what it checks)."""
    best, score = None, 0
    for standard, name, text in grams:
        overlap = 2 * len(words & name) + len(words & (text - name))
        if overlap > score:
            best, score = standard, overlap
    return best, score


def match_standards(texts: list[str], standards: list[Indicator], everywhere: list[Indicator] = ()) -> list[Indicator]:
    """For each item, the standard of its site type that shares the most two-character words
    with it. An item its type's standards hardly match goes to a clearly better field standard
    of another type (``everywhere``); items that match nothing are spread over the type's
    standards in turn, so every standard of the type is checked by something."""
    mine, others = _grams(standards), _grams(list(everywhere))
    chosen, spare = [], 0
    for text in texts:
        words = _bigrams(text)
        best, score = _best(words, mine)
        if score < 3 and others:
            elsewhere, better = _best(words, others)
            if better >= max(score + 2, 4):
                best = elsewhere
        if best is None:
            best = standards[spare % len(standards)]
            spare += 1
        chosen.append(best)
    return chosen


def field_standards(framework: Framework, site_type: SiteType | None = None) -> list[Indicator]:
    """实地考察 standards naming the site type (all of them when none does, or no type is given)."""
    field = Indicator.objects.filter(framework=framework, level=Indicator.Level.STANDARD,
                                     methods__contains=[Method.FIELD]).order_by("path")
    return (list(field.filter(site_types=site_type)) if site_type else []) or list(field)


def seed_checklists(framework: Framework, author: User | None) -> int:
    """Create the missing checklists (idempotent: types that have one are left alone)."""
    made = 0
    have = set(Checklist.objects.values_list("site_type_id", flat=True))
    everywhere = field_standards(framework)
    for site_type in SiteType.objects.exclude(pk__in=have):
        lines = CHECKLISTS.get(site_type.name)
        standards = field_standards(framework, site_type)
        if not lines or not standards:
            continue
        parsed = [parse(line) for line in lines]
        matched = match_standards([text for text, _problem, _points in parsed], standards, everywhere)
        checklist_create(actor=author, site_type=site_type, name=f"{site_type.name}实地考察检查表", framework=framework,
                         items=[{"text": text, "indicator": standard, "points": Decimal(points)}
                                for (text, _problem, points), standard in zip(parsed, matched, strict=True)])
        made += 1
    return made


def problems() -> dict[tuple[str, str], str]:
    """(site type, item text) → the typical problem sentence used for demo findings."""
    out = {}
    for type_name, lines in CHECKLISTS.items():
        for line in lines:
            text, problem, _points = parse(line)
            out[(type_name, text)] = problem
    return out
