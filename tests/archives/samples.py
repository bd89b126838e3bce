"""Files for upload tests, generated in memory."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

# The photos and PDFs every test package makes; the archives tests name them samples.jpeg and so on.
from tests.factories import jpeg, pdf, png

__all__ = ["bomb_png", "docx", "encrypted_pdf", "jpeg", "pdf", "png"]


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def bomb_png() -> bytes:
    """64 megapixels of nothing: tiny on disk, 64 MB+ when decoded."""
    out = io.BytesIO()
    Image.new("1", (10000, 8000)).save(out, "PNG")
    return out.getvalue()
