"""The office's steps through the import pages, as a clerk takes them: upload → preview →
confirm, with the test client."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def upload(client, kind: str, data: bytes, name: str = "名单.xlsx"):
    """Upload ``data``; returns (token, preview page text)."""
    response = client.post(reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response.url.rstrip("/").split("/")[-1]
    return token, client.get(response.url).content.decode()


def confirm(client, token: str):
    return client.post(reverse("imports:confirm", args=[token]))


def download(client, name: str, *args) -> bytes:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content
