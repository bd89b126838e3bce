"""Helpers shared by the views: the reference pages' framework choice and paging, refusals, and
carrying out a create form once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse

from campaign.access import can
from campaign.forms import add_service_errors
from campaign.models import Framework
from campaign.services.once import submit_once
from campaign.views.params import param_id


def selected_framework(request) -> Framework | None:
    """The edition chosen with ?framework=<id>, else the active one, else the newest."""
    editions = Framework.objects.all()
    chosen = param_id(request.GET, "framework")
    if chosen is not None:
        framework = editions.filter(pk=chosen).first()
        if framework is not None:
            return framework
    return editions.filter(is_active=True).first() or editions.order_by("-year", "-id").first()


def paginate(request, items, per_page: int = 50):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def optional_url(name: str, *args) -> str:
    """A link to a page another part of the portal provides (spreadsheet import/export), or "" if
    that part is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def spreadsheet_links(user, framework=None) -> dict:
    """Import/export links for office staff: the 目标任务分解表 of an edition and the site list."""
    if not can(user, "imports.use"):
        return {}
    return {
        "import_url": optional_url("imports:index"),
        "export_framework_url": optional_url("imports:export_framework", framework.pk) if framework else "",
        "export_sites_url": optional_url("imports:export_sites"),
    }


def refused(request, error: ValidationError) -> None:
    """Show a service's refusal (a Chinese sentence) as an error message."""
    for message in error.messages:
        messages.error(request, message)


def create_once(request, form, create, url_of, *, refusals=(ValidationError,)):
    """Carry out a create form once per form token (campaign/services/once.py): call ``create()``,
    remember ``url_of(made)`` as the form's answer, and put a refusal of the service (one of
    ``refusals``) on the form's fields. Returns ``(made, earlier)``: the object made, or None when
    it was refused; ``earlier`` is the first answer when this form was already carried out."""
    try:
        with submit_once(request) as once:
            if once.earlier:
                return None, once.earlier
            made = create()
            once.done(url_of(made))
    except refusals as error:
        add_service_errors(form, error)
        return None, None
    return made, None
