from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from campaign.access import can, unit_for
from campaign.models import Event, Membership, OrgUnit, Role, UnitChange


def unit_list(request):
    """单位通讯录: the visible part of the unit tree with heads and liaisons."""
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    units = OrgUnit.objects.visible_to(request.user).filter(is_active=True)
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(
            Q(name__icontains=query)
            | Q(short_name__icontains=query)
            | Q(memberships__user__full_name__icontains=query)
        ).distinct()
    contacts = Membership.objects.current().filter(role__in=[Role.UNIT_HEAD, Role.LIAISON]).select_related("user")
    units = units.prefetch_related(Prefetch("memberships", queryset=contacts, to_attr="contacts"))
    page = Paginator(units.order_by("path"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "campaign/unit_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": OrgUnit.Kind.choices, "flat": bool(query or kind),
         "can_reorganise": can(request.user, "reference.edit")},
    )


def unit_detail(request, pk):
    unit = unit_for(request.user, pk)
    members = unit.memberships.current().select_related("user").order_by("role", "user__full_name")
    former = unit.memberships.exclude(pk__in=members.values("pk")).select_related("user").order_by("-end")
    children = unit.children.filter(is_active=True).annotate(n_members=Count("memberships")).order_by("path")
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "members": members,
        "children": children,
        "former_members": former,
        "changes": (UnitChange.objects.filter(pk__in=unit.changes_out.values("pk"))
                    | UnitChange.objects.filter(pk__in=unit.changes_in.values("pk"))).order_by("-day", "-id")[:20],
        "can_reorganise": can(request.user, "reference.edit"),
        "events": Event.objects.for_object(unit).select_related("actor")[:50],
    }
    return render(request, "campaign/unit_detail.html", context)
