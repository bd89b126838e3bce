"""The import pages as an office clerk uses them: upload → preview (answer its questions) → confirm."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def upload(client, data: bytes, *, name="分解表.xlsx", year=2026, edition="2026年版", **fields) -> str:
    """Upload a 目标任务分解表 (as a new edition unless ``target`` says otherwise); returns the
    pending file's token."""
    payload = {"file": SimpleUploadedFile(name, data), "target": "new", "name": edition, "year": year, **fields}
    response = client.post(reverse("imports:upload", args=["framework"]), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").split("/")[-1]


def preview(client, token: str) -> str:
    response = client.get(reverse("imports:preview", args=[token]))
    assert response.status_code == 200
    return response.content.decode()


def question_ids(html: str) -> dict[str, str]:
    """{question text: id} of the questions on a preview page."""
    found = re.findall(r'data-question="(\w+)">\s*<div><span[^>]*>[^<]*</span> <strong>“([^”]*)”', html)
    return {text: qid for qid, text in found}


def answer(client, token: str, fields: dict) -> str:
    """Post answers and return the preview shown after them."""
    response = client.post(reverse("imports:answer", args=[token]), fields, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def confirm(client, token: str) -> str:
    response = client.post(reverse("imports:confirm", args=[token]), follow=True)
    return response.content.decode()
