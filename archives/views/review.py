"""The office's review queue: approve (one or many) or return with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from archives import selectors, services
from archives.forms import ReturnForm
from archives.models import EvidenceItem
from archives.views.common import ids_from, visible_item
from archives.views.upload import _back
from campaign.access import get_visible, require
from campaign.models import OrgUnit
from campaign.views.params import param_id


def review_queue(request):
    """资料审核: submitted items, oldest first, filterable by unit."""
    require(request.user, "archives.review")
    qs = selectors.review_queue(request.user)
    unit = None
    if param_id(request.GET, "unit"):
        unit = get_visible(OrgUnit.objects.all(), request.user, pk=param_id(request.GET, "unit"))
        qs = qs.filter(unit=unit)
    waiting = selectors.review_queue(request.user).values_list("unit_id", flat=True)
    context = {
        "page": Paginator(selectors.with_list_data(qs), 50).get_page(request.GET.get("page")),
        "unit": unit, "units": OrgUnit.objects.filter(pk__in=waiting).order_by("path"), "return_form": ReturnForm(),
    }
    return render(request, "archives/evidence_review.html", context)


@require_POST
def review(request, pk):
    """Approve, or return with a reason, one item."""
    require(request.user, "archives.review")
    item = visible_item(request.user, pk)
    approve = request.POST.get("action") == "approve"
    try:
        services.evidence_review(actor=request.user, item=item, approve=approve,
                                 reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"《{item.title}》" + ("已审核通过。" if approve else "已退回，资料员会收到通知。"))
    return _back(request, reverse("archives:detail", args=[item.pk]))


@require_POST
def approve_many(request):
    require(request.user, "archives.review")
    ids = ids_from(request.POST)
    items = list(EvidenceItem.objects.visible_to(request.user).filter(pk__in=ids))
    if not items:
        messages.info(request, "请先勾选要审核通过的资料。")
        return redirect("archives:review_queue")
    try:
        count = services.evidence_approve_many(actor=request.user, items=items)
    except ValidationError as exc:
        messages.error(request, "未审核（请刷新后重试）：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已审核通过 {count} 份资料。")
    return _back(request, reverse("archives:review_queue"))
