"""Views of the archives app (台账资料)."""

from archives.views.completeness import completeness, submission_form, submission_print
from archives.views.files import download, print_image, thumbnail
from archives.views.pages import detail, evidence_list, index
from archives.views.review import approve_many, review, review_queue
from archives.views.upload import (
    caption,
    caption_batch,
    correct,
    standard_search,
    submit,
    submit_many,
    upload,
    upload_file,
)

__all__ = [
    "approve_many", "caption", "caption_batch", "completeness", "correct", "detail", "download", "evidence_list",
    "index", "print_image", "review", "review_queue", "standard_search", "submission_form", "submission_print",
    "submit", "submit_many", "thumbnail", "upload", "upload_file",
]
