"""台账 pages: the ledger by indicator tree, the filtered list, one item."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from archives import selectors
from archives.forms import CaptionForm, ReturnForm
from archives.models import EvidenceItem, category_choices
from archives.views.common import can_edit, visible_item
from campaign.access import can, get_visible, require
from campaign.models import Event, Framework, Indicator, OrgUnit
from campaign.views.params import param_id, param_int


def _ledger_unit(request, framework):
    """The unit asked for, else the user's own unit that has duties or evidence."""
    if param_id(request.GET, "unit"):
        return get_visible(OrgUnit.objects.all(), request.user, pk=param_id(request.GET, "unit"))
    own = [m.unit for m in request.user.memberships.current().select_related("unit").order_by("unit__path")]
    duty_paths = set(selectors.units_with_duties(framework).values_list("path", flat=True))
    for unit in own:
        if any(unit.path.startswith(p) for p in duty_paths) or unit.evidence.exists():
            return unit
    return None if request.user.has_role("office", "leader", "inspector", "assessor") else (own[0] if own else None)


def index(request):
    """台账: one unit's evidence counted per standard and category along the indicator tree."""
    require(request.user, "archives.view")
    framework = Framework.active()
    unit = _ledger_unit(request, framework)
    show_all = request.GET.get("all") == "1"
    rows = selectors.ledger_tree(unit, framework, only_duties=not show_all) if unit else []
    choices = (OrgUnit.objects.visible_to(request.user) & selectors.units_with_duties(framework)).order_by("path")
    statuses = {}
    if unit is not None and framework is not None:
        # The ledger's own figures: current items of the unit and below, filed under a standard.
        filed = (EvidenceItem.objects.current().filter(unit__path__startswith=unit.path,
                                                       indicators__framework=framework)
                 .values("status").annotate(n=Count("pk", distinct=True)))
        statuses = {row["status"]: row["n"] for row in filed}
    own_duties = sum(1 for r in rows if r.indicator.is_standard and r.duty == "own")
    # A unit that proves nothing itself may supply material to a unit above it: count those gaps.
    supplied = ([r for r in selectors.completeness(unit, framework=framework) if r.supplier]
                if unit is not None and not own_duties else [])
    context = {
        "framework": framework, "unit": unit, "rows": rows, "show_all": show_all, "unit_choices": choices,
        "categories": selectors.MAIN_CATEGORIES, "statuses": statuses,
        "gaps": sum(1 for r in rows if r.indicator.is_standard and r.gaps), "own_duties": own_duties,
        "supplied": len(supplied), "supplied_gaps": sum(1 for r in supplied if r.missing),
        "can_upload": can(request.user, "archives.upload"),
    }
    return render(request, "archives/evidence_ledger.html", context)


def _filters(request) -> tuple[selectors.EvidenceFilters, dict]:
    get = request.GET
    filters = selectors.EvidenceFilters(category=get.get("category", ""), query=get.get("q", "").strip()[:100])
    if param_id(get, "unit"):
        filters.unit = get_visible(OrgUnit.objects.all(), request.user, pk=param_id(get, "unit"))
    code = get.get("standard", "").strip()
    if code:
        filters.standard = Indicator.objects.active().filter(code=code).first()
    if get.get("status") in {*EvidenceItem.Status.values, "superseded"}:
        filters.status = get["status"]
    if param_int(get, "year", maximum=9999):
        filters.year = param_int(get, "year", maximum=9999)
    return filters, {"standard_code": code, "standard_unknown": bool(code and filters.standard is None)}


def evidence_list(request):
    """资料检索: every visible item with filters and pages."""
    require(request.user, "archives.view")
    filters, extra = _filters(request)
    qs = EvidenceItem.objects.visible_to(request.user)
    qs = selectors.evidence_filter(qs, filters).order_by("-uploaded_at", "-pk")
    if extra["standard_unknown"]:
        qs = qs.none()
    page = Paginator(selectors.with_list_data(qs), 30).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    context = {
        "page": page, "filters": filters, **extra,
        "units": OrgUnit.objects.visible_to(request.user).filter(is_active=True).order_by("path"),
        "categories": category_choices(), "statuses": [*EvidenceItem.Status.choices, ("superseded", "已被替代")],
        "years": list(range(this_year, this_year - 6, -1)),  # fixed: no scan of the whole archive
        "can_upload": can(request.user, "archives.upload"),
    }
    return render(request, "archives/evidence_list.html", context)


def detail(request, pk):
    """One item: preview, caption, standards, versions, duplicates, history and the actions."""
    item = visible_item(request.user, pk)
    chain = selectors.supersede_chain(item)
    editable = can_edit(request.user, item)
    is_current = chain[-1].pk == item.pk
    context = {
        "item": item, "chain": chain if len(chain) > 1 else [], "is_current": is_current, "latest": chain[-1],
        "indicators": item.indicators.select_related("framework").order_by("path"),
        "duplicates": EvidenceItem.objects.visible_to(request.user).filter(sha256=item.sha256).exclude(pk=item.pk)
        .select_related("unit"),
        "can_edit": editable and is_current and item.allows("caption"),
        "can_submit": editable and is_current and item.allows("submit"),
        "can_correct": editable and is_current,
        "can_review": can(request.user, "archives.review") and is_current and item.status == "submitted",
        "return_form": ReturnForm(), "gaps": item.caption_gaps(),
        "events": Event.objects.for_object(item).select_related("actor")[:100],
    }
    return render(request, "archives/evidence_detail.html", context)


def caption_form_for(item, data=None) -> CaptionForm:
    return CaptionForm(data, item=item, prefix=f"i{item.pk}")
