"""Finding a sheet's header band, however the office drew it: one to three rows under a title and
notes, group cells merged over their sub-columns (责任分工 over 牵头单位/责任单位/配合单位,
测评标准 over 编号/内容), 序号 and blank spacer columns, and a best guess for every column whose
words are not in the synonyms table (the office confirms those once on the mapping page)."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from campaign.services.spreadsheets.opening import Sheet
from campaign.services.spreadsheets.text import cell_text, key

HEADER_SEARCH_ROWS = 20
MAX_BAND = 3
GUESS_CUTOFF = 0.5
# Columns every office keeps that carry nothing to import.
SKIP_WORDS = {"序号", "序", "行号", "no", "no.", "编号序号", "排序"}
# Rows below the data: signatures, contacts and notes end the table.
FOOTER = re.compile(
    r"^\s*(注\s*\d*\s*[:：]|注\s*\d+|填表人|填报人|审核人|制表人|负责人|联系人|联系电话|电话[:：]|"
    r"填报日期|填表日期|日期[:：]|签字|签名|盖章|单位[(（]盖章|说明[:：]|备注[:：]|附[:：])"
)


def header_key(text: str) -> str:
    """A header compared without blanks, width, case, required-field marks or a trailing
    explanation in brackets: "测评类别（版块）*" → "测评类别"."""
    k = key(text).replace("*", "").replace("※", "").rstrip(":")
    return re.sub(r"\([^)]*\)$", "", k) or k


@dataclass
class HeaderColumn:
    """One column of a header band: what the sheet calls it and what it was understood as."""

    index: int  # 0-based
    label: str  # the sheet's own words, group and sub-column joined: "测评标准/编号"
    key: str  # normalised and unique within the band: the mapping is remembered by it
    field: str | None = None
    guess: str | None = None
    skip: bool = False
    samples: list[str] = dataclasses.field(default_factory=list)  # the first few texts below the header


@dataclass
class HeaderBand:
    sheet: str
    first_row: int
    last_row: int
    columns: list[HeaderColumn] = field(default_factory=list)
    remembered: bool = False

    @property
    def signature(self) -> str:
        return signature([c.key for c in self.columns])

    @property
    def mapping(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field}

    @property
    def rows_text(self) -> str:
        return f"第 {self.first_row} 行" if self.first_row == self.last_row else f"第 {self.first_row}–{self.last_row} 行"

    def label(self, name: str) -> str:
        return next((c.label for c in self.columns if c.field == name), "")

    def unknown(self) -> list[HeaderColumn]:
        return [c for c in self.columns if not c.field and not c.skip]


def signature(keys: list[str]) -> str:
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


class Vocabulary:
    """The header words of one kind of sheet: each column's label and synonyms."""

    def __init__(self, columns):
        self.columns = columns
        self.lookup: dict[str, str] = {}
        for column in columns:
            for k in column.header_keys():
                self.lookup.setdefault(k, column.field)
        self.names = {c.field: [header_key(n) for n in (c.label, *c.synonyms)] for c in columns}

    def is_header_word(self, text: str) -> bool:
        k = header_key(text)
        return k in self.lookup or k in SKIP_WORDS

    def guess(self, texts: list[str], taken: set[str]) -> str | None:
        """The unmapped field whose names look most like the column's words."""
        best, best_score = None, GUESS_CUTOFF
        for name, keys in self.names.items():
            if name in taken:
                continue
            for k in keys:
                for text in texts:
                    t = header_key(text)
                    if len(k) >= 2 and len(t) >= 2 and (k in t or t in k):
                        score = 0.9 + min(len(k), len(t)) / 100
                    else:
                        score = difflib.SequenceMatcher(None, t, k).ratio()
                    if score > best_score:
                        best, best_score = name, score
        return best


def find_band(sheet: Sheet, vocabulary: Vocabulary, remembered: dict[str, dict]) -> HeaderBand | None:
    """The header band that reads best: most columns understood (a remembered band first), then
    the one ending lowest, then the one starting at header words and reaching highest. None when
    no band has two known columns."""
    numbers = sorted(sheet.rows)[:HEADER_SEARCH_ROWS + MAX_BAND]
    best, best_rank = None, None
    for position, first in enumerate(numbers[:HEADER_SEARCH_ROWS]):
        last = first
        for size in range(1, MAX_BAND + 1):
            if size > 1:
                following = numbers[position + size - 1] if position + size - 1 < len(numbers) else None
                if following != last + 1 or not _continues(sheet, first, last, vocabulary):
                    break
                last = following
            band = read_band(sheet, first, last, vocabulary, remembered)
            score = sum(1 for c in band.columns if c.field)
            if score < 2 and not band.remembered:
                continue
            # Equal readings: a band whose top row holds header words is the whole header (take it
            # all); a top row without any (a title, a 填报单位 line) is left out.
            worded = any(vocabulary.is_header_word(sheet.text(first, col)) for col in range(len(sheet.rows[first])))
            rank = (band.remembered, score, last, worded, -first)
            if best_rank is None or rank > best_rank:
                best, best_rank = band, rank
    return best


def _continues(sheet: Sheet, first: int, last: int, vocabulary: Vocabulary) -> bool:
    """Whether row ``last + 1`` still belongs to the header band ``first..last``: a header cell is
    merged down into it, a group cell is merged across over it, or it holds only header words."""
    below = last + 1
    if _looks_like_data(sheet, first, below, vocabulary):
        return False
    for min_row, min_col, max_row, max_col in sheet.merges:
        if first <= min_row <= last and max_row >= below:
            return True
        if first <= min_row and max_row == last and min_col < max_col and any(
                sheet.text(below, col) for col in range(min_col - 1, max_col)):
            return True
    texts = [sheet.text(below, col) for col in range(len(sheet.rows[below]))]
    texts = [t for t in texts if t]
    return len(texts) >= 2 and all(vocabulary.is_header_word(t) for t in texts)


def _looks_like_data(sheet: Sheet, first: int, number: int, vocabulary: Vocabulary) -> bool:
    """More cells of row ``number`` read as values than as header words (a cell repeating a header
    merged down from above counts as neither): a header cell merged into the data by mistake must
    not pull the first data row into the header."""
    words = values = 0
    for col, value in enumerate(sheet.rows[number]):
        text = cell_text(value)
        if not text or any(sheet.text(n, col) == text for n in range(first, number)):
            continue
        if vocabulary.is_header_word(text):
            words += 1
        else:
            values += 1
    return values > words


def crossing_merge(sheet: Sheet, band: HeaderBand) -> str | None:
    """A merged cell of the header that runs on into the data rows: which one, in the sheet's terms."""
    for min_row, min_col, max_row, max_col in sheet.merges:
        if band.first_row <= min_row <= band.last_row < max_row:
            start, end = f"{get_column_letter(min_col)}{min_row}", f"{get_column_letter(max_col)}{max_row}"
            return f"「{sheet.text(min_row, min_col - 1)}」（{start}:{end}）"
    return None


def read_band(sheet: Sheet, first: int, last: int, vocabulary: Vocabulary, remembered: dict[str, dict]) -> HeaderBand:
    band = HeaderBand(sheet.title, first, last)
    width = max(len(sheet.rows.get(n, [])) for n in range(first, last + 1))
    seen: dict[str, int] = {}
    stacks = {}
    for col in range(width):
        stack = []
        for number in range(first, last + 1):
            text = sheet.text(number, col)
            if text and (not stack or stack[-1] != text):
                stack.append(text)
        if not stack:
            continue
        k = header_key("".join(stack))
        seen[k] = seen.get(k, 0) + 1
        unique = k if seen[k] == 1 else f"{k}#{seen[k]}"
        band.columns.append(HeaderColumn(col, "/".join(stack), unique))
        stacks[col] = stack
    fields = remembered.get(band.signature)
    if fields is not None:
        band.remembered = True
        for column in band.columns:
            column.field = fields.get(column.key) or None
            column.skip = not column.field
        return band
    _understand(band, stacks, vocabulary)
    return band


def _understand(band: HeaderBand, stacks: dict[int, list[str]], vocabulary: Vocabulary) -> None:
    """Each column's field from its words: group and sub-column joined first (测评标准 + 编号 →
    标准编号), then the sub-column alone, then the group alone, so a group never hides a sub-column."""
    taken: set[str] = set()
    for column in band.columns:
        stack = stacks[column.index]
        candidates = ["".join(stack[j:]) for j in range(len(stack))] + [stack[j] for j in reversed(range(len(stack) - 1))]
        for text in candidates:
            k = header_key(text)
            name = vocabulary.lookup.get(k)
            if name and name not in taken:
                column.field = name
                taken.add(name)
                break
        else:
            column.skip = header_key(stack[-1]) in SKIP_WORDS or header_key(stack[0]) in SKIP_WORDS
    for column in band.columns:
        if not column.field and not column.skip:
            column.guess = vocabulary.guess(stacks[column.index], taken)
            taken.add(column.guess)


def add_samples(sheet: Sheet, band: HeaderBand, count: int = 3) -> None:
    """The first few texts under each column, shown on the mapping page next to its choice."""
    below = []
    for number in sorted(n for n in sheet.rows if n > band.last_row)[:20]:
        if is_footer(sheet.rows[number]):
            break
        below.append(number)
    for column in band.columns:
        texts = [sheet.text(n, column.index) for n in below]
        column.samples = list(dict.fromkeys(t for t in texts if t))[:count]


def is_footer(values: list) -> bool:
    """A signature, contact or note row below the data (its first filled cell says so)."""
    first = next((cell_text(v) for v in values if cell_text(v)), "")
    # A footer line is short or says "填表人：…"; a long text that merely starts with 负责人 is data.
    return bool(FOOTER.match(first)) and (len(first) <= 30 or bool(re.search("[:：]", first[:12])))
