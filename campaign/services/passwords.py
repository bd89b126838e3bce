"""A password validator for what attackers of a campaign portal try first.

Django's own list refuses "password" or "123456" exactly, but not "Demo@2026", "cwt12345" or
"wenming2026": a common word, or a word everyone at the campaign knows (创文, 文明, the city, the
demo password), with a year, digits or symbols around it. This validator takes the letters of
the password (after the usual digit-for-letter swaps such as 0 → o, @ → a, and with years
removed), strikes out every such word, and refuses the password when almost nothing is left.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError

# Common password words (English, pinyin, keyboard runs) and the campaign's own vocabulary.
COMMON_WORDS = (
    "password", "passwd", "pass", "pwd", "mima", "admin", "administrator", "root", "user", "guest", "test",
    "demo", "welcome", "hello", "changeme", "default", "login", "letmein", "iloveyou", "love", "woaini", "aini",
    "qwerty", "qwer", "asdf", "zxcv", "qaz", "wsx", "edc", "abcdef", "abcd", "abc",
    "china", "zhongguo", "beijing", "gov", "zhengfu", "office", "bangongshi", "city", "chengshi",
)
CAMPAIGN_WORDS = (
    "cwt", "cwtong", "chuangwentong", "chuangwen", "chuangcheng", "wenming", "wenmingchengshi", "wmcs", "cwb",
    "cwb", "chuangjian", "创文通", "创文", "创城", "创建", "文明城市", "文明", "城市", "创文办", "密码",
)
LEFT_AT_LEAST = 4  # letters a password must keep once the words above are struck out

YEARS = re.compile(r"(19|20)\d\d")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
NOT_A_LETTER = re.compile(r"[^a-z\u4e00-\u9fff]")

MESSAGE = ("密码太容易被猜到：由常见密码或与创文工作、本市相关的词语（如 cwt、wenming、chuangwen、demo、城市名）"
           "组成的密码，加上年份、数字或符号也不安全。请换一个不含这些词语的密码。")


class CampaignWordsPasswordValidator:
    """Refuses passwords made of common or campaign/city words plus years, digits and symbols.
    The city's name (settings.CITY_NAME) and PASSWORD_CONTEXT_WORDS (its pinyin, local words)
    are weak words too."""

    def validate(self, password, user=None):
        words = self._words()
        lowered = YEARS.sub("", password.lower())
        for core in {NOT_A_LETTER.sub("", lowered), NOT_A_LETTER.sub("", lowered.translate(LEET))}:
            left = core
            for word in words:
                left = left.replace(word, "")
            if left != core and len(left) < LEFT_AT_LEAST:
                raise ValidationError(MESSAGE, code="password_too_guessable")

    def get_help_text(self):
        return "密码不能由常见密码，或 cwt、wenming、demo、城市名等与创文工作相关的词语加年份、数字组成。"

    @staticmethod
    def _words() -> list[str]:
        city = str(getattr(settings, "CITY_NAME", "")).strip()
        local = [w.strip().lower() for w in getattr(settings, "PASSWORD_CONTEXT_WORDS", []) if w.strip()]
        words = {*COMMON_WORDS, *CAMPAIGN_WORDS, *local, city, city.removesuffix("市")} - {""}
        return sorted(words, key=len, reverse=True)  # longest first: "wenmingchengshi" before "wenming"
