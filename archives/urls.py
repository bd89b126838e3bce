from django.urls import path
from django.views.generic import RedirectView

from archives import views

app_name = "archives"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="archives:index"), name="root"),
    path("ledger/", views.index, name="index"),
    path("items/", views.evidence_list, name="list"),
    path("items/<int:pk>/", views.detail, name="detail"),
    path("items/<int:pk>/download/", views.download, name="download"),
    path("items/<int:pk>/print.jpg", views.print_image, name="print"),
    path("items/<int:pk>/thumb.jpg", views.thumbnail, name="thumb"),
    path("items/<int:pk>/caption/", views.caption, name="caption"),
    path("items/<int:pk>/submit/", views.submit, name="submit"),
    path("items/<int:pk>/review/", views.review, name="review"),
    path("items/<int:pk>/correct/", views.correct, name="correct"),
    path("upload/", views.upload, name="upload"),
    path("upload/file/", views.upload_file, name="upload_file"),
    path("caption/", views.caption_batch, name="caption_batch"),
    path("submit/", views.submit_many, name="submit_many"),
    path("standards/", views.standard_search, name="standard_search"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/approve/", views.approve_many, name="approve_many"),
    path("completeness/", views.completeness, name="completeness"),
    path("submission/<int:unit_pk>/<int:indicator_pk>/", views.submission_form, name="submission"),
    path("submission/<int:unit_pk>/<int:indicator_pk>/print/", views.submission_print, name="submission_print"),
]
