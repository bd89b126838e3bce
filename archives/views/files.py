"""Files go out only through these views, after the scope check. MEDIA_ROOT has no URL."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from archives import services
from archives.views.common import visible_item


def _send(field, *, content_type: str, filename: str, attachment: bool) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(handle, as_attachment=attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering a stored file, it could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@require_GET
def download(request, pk):
    """The original file, byte for byte, as an attachment named as the uploader named it."""
    item = visible_item(request.user, pk)
    return _send(item.file, content_type=item.mime, filename=item.original_name, attachment=True)


def _rendition(request, pk, field_name: str, suffix: str):
    item = visible_item(request.user, pk)
    if not item.is_photo:
        raise Http404("只有照片有打印版")
    if not getattr(item, field_name):
        item = services.evidence_make_rendition(item=item)
    stem = item.original_name.rsplit(".", 1)[0]
    return _send(getattr(item, field_name), content_type="image/jpeg", filename=f"{stem}{suffix}.jpg",
                 attachment=False)


@require_GET
def print_image(request, pk):
    """The print rendition (upright, ≤ 2400 px, no EXIF) shown in pages and used in dossiers."""
    return _rendition(request, pk, "print_file", "（打印版）")


@require_GET
def thumbnail(request, pk):
    return _rendition(request, pk, "thumb_file", "（缩略图）")
