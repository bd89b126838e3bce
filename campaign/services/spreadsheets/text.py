"""Reading what people type into office spreadsheets: full-width characters, stray spaces,
several names in one cell, Chinese numerals, codes written in front of names."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

# 、，, ; ； and line breaks separate several names in one cell (but not inside brackets:
# "张伟（市委常委、宣传部部长）" is one person). Blanks and / separate too where the caller says
# so: "上级单位/单位名称" names one unit, and a stray blank inside one name is common.
MULTI_SEPARATORS = re.compile(r"[、，,;；\r\n]+")
_SEPARATOR_CHARS = set("、，,;；\r\n")
_SLASHES = set("/／")
_OPEN, _CLOSE = set("（([【〔［"), set("）)]】〕］")
# A title in brackets after a name: "王建国（副市长）", "张伟(市委常委、宣传部部长)".
_TITLE = re.compile(r"^(.*?)\s*[（(]([^）)]*)[）)]\s*$", re.S)
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① … ⑳

_DIGIT = "0-9０-９"
_LETTER = "A-Za-zＡ-Ｚａ-ｚ"
# 2.3.1 · A · A1 · B.2: digits with dots, optionally after a letter, or a version letter alone.
_CODE = rf"(?:[{_LETTER}]{{1,2}}|[{_LETTER}]?[{_DIGIT}]+)(?:[.．][{_DIGIT}]+)*"
# "2.3.1 文本", "2.3.1、文本", "2.3.1．文本", "1:文本": a code, a separator, the rest.
_CODE_PREFIX = re.compile(rf"^\s*({_CODE})[.．]?(?:[\s、:：]+|(?<=[.．])(?=\D))(.+)$", re.S)
# "一、公共秩序", "（二）市容环境", "三．志愿服务": an ordinal in Chinese numerals.
_ORDINAL_PREFIX = re.compile(
    r"^\s*(?:[(（]([一二三四五六七八九十百两0-9０-９]+)[)）]|([一二三四五六七八九十百两]+)[、.．]|([①-⑳]))\s*(.+)$", re.S
)
_CODE_ONLY = re.compile(r"^[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*$")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


def cell_text(value) -> str:
    """A cell as text, the way it reads on screen: numbers without a trailing ``.0``, dates as
    2026-06-30, surrounding blanks removed. Inner text is kept exactly (names round-trip)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).replace("\u3000", " ").strip()


def key(text: str) -> str:
    """A comparison key: full-width folded to half-width, no blanks at all, lower case."""
    folded = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", folded).lower()


def split_multi(text: str, *, spaces: bool = False, slashes: bool = False) -> list[str]:
    """Several names in one cell (、，,;； or line breaks; with ``spaces`` blanks, with ``slashes``
    / too), trimmed, empty parts and repeats dropped. A separator inside brackets does not split."""
    seen, parts = set(), []
    for part in _split_outside_brackets(text or "", spaces, slashes):
        part = part.strip()
        if part and key(part) not in seen:
            seen.add(key(part))
            parts.append(part)
    return parts


def _split_outside_brackets(text: str, spaces: bool, slashes: bool) -> list[str]:
    parts, current, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if depth == 0 and (ch in _SEPARATOR_CHARS or (spaces and ch.isspace()) or (slashes and ch in _SLASHES)):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def split_title(text: str) -> tuple[str, str]:
    """"王建国（副市长）" → ("王建国", "副市长"); "王建国" → ("王建国", "")."""
    match = _TITLE.match(text or "")
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return (text or "").strip(), ""


def ordinal_number(text: str) -> int | None:
    """One ordinal as offices write it: 三, 十二, 3, ３, ③."""
    text = (text or "").strip()
    if len(text) == 1 and text in _CIRCLED:
        return _CIRCLED[text]
    return cn_number(text)


def cn_number(text: str) -> int | None:
    """三 → 3, 十三 → 13, 二十四 → 24, 一百 → 100; Arabic digits pass through; else None."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def split_code(text: str) -> tuple[str | None, int | None, str]:
    """``"2.3.1 文本"`` → ("2.3.1", None, "文本"); ``"一、公共秩序"`` → (None, 1, "公共秩序");
    ``"公共秩序"`` → (None, None, "公共秩序")."""
    match = _CODE_PREFIX.match(text)
    if match:
        return unicodedata.normalize("NFKC", match.group(1)), None, match.group(2).strip()
    match = _ORDINAL_PREFIX.match(text)
    if match:
        number = ordinal_number(match.group(1) or match.group(2) or match.group(3))
        if number:
            return None, number, match.group(4).strip()
    return None, None, text.strip()


_CODE_PART_SEPARATORS = re.compile(r"[-—–_.．、]+")


def normalize_code(text: str, *, keep_case: bool = False) -> str:
    """A code typed by hand: half-width, no blanks, no trailing dot (``"２．３．１."`` → ``"2.3.1"``);
    parts written as Chinese numerals or joined by dashes read as dotted numbers (``"一-1-1"`` →
    ``"1.1.1"``, ``"（二）"`` → ``"2"``)."""
    k = key(text) if not keep_case else re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    k = k.strip("()（）").rstrip(".")
    parts = [p for p in _CODE_PART_SEPARATORS.split(k) if p]
    if len(parts) > 1 or (parts and not parts[0].isascii()):
        numbers = [ordinal_number(p) for p in parts]
        if all(numbers):
            return ".".join(str(n) for n in numbers)
    return k


def is_valid_code(code: str) -> bool:
    return bool(_CODE_ONLY.match(code))


def parse_bool(text: str) -> bool | None:
    """是/否 and the usual variants; None when the cell says neither."""
    k = key(text)
    if k in {"是", "y", "yes", "true", "1", "√", "✓", "启用", "有"}:
        return True
    if k in {"否", "n", "no", "false", "0", "×", "停用", "无", ""}:
        return False
    return None
