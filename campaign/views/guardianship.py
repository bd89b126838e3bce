"""包挂/包保: who looks after each community and site. The office keeps the list; a leader reads
his own rows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaign.access import can, get_visible, require
from campaign.forms import add_service_errors
from campaign.forms.guardianship import GuardianshipForm
from campaign.models import Event, Guardianship
from campaign.services.guardianship import guardianship_delete as delete_row
from campaign.services.guardianship import guardianship_save
from campaign.services.once import once_per_form, submit_once

PAGE_SIZE = 50


def guardianship_list(request):
    require(request.user, "oversight.list")
    rows = Guardianship.objects.visible_to(request.user).select_related(
        "leader", "unit", "community__parent", "site__district")
    query = request.GET.get("q", "").strip()[:50]
    if query:
        rows = rows.filter(Q(leader__full_name__icontains=query) | Q(unit__name__icontains=query)
                           | Q(community__name__icontains=query) | Q(site__name__icontains=query))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page:
        row.in_force = row.start <= today and (row.end is None or row.end >= today)
    return render(request, "campaign/guardianship_list.html", {
        "page": page, "query": query, "can_edit": can(request.user, "reference.edit")})


@once_per_form
def guardianship_create(request):
    require(request.user, "reference.edit")
    return _save(request, GuardianshipForm(request.POST or None), Guardianship())


@once_per_form
def guardianship_edit(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Guardianship.objects.select_related("leader", "unit", "community", "site"), request.user, pk=pk)
    return _save(request, GuardianshipForm(request.POST or None, instance=row), row)


def _save(request, form, row):
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.FIELDS}
        try:
            with submit_once(request) as once:
                if once.earlier:
                    return once.earlier
                saved = guardianship_save(actor=request.user, row=row, data=data)
                once.done(reverse("reference:guardianship_list"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"包挂包保已保存：{saved}（{saved.period_label}）")
            return redirect("reference:guardianship_list")
    events = Event.objects.for_object(row).select_related("actor")[:20] if row.pk else []
    return render(request, "campaign/guardianship_form.html", {"form": form, "row": row, "events": events})


@require_POST
def guardianship_delete(request, pk):
    require(request.user, "reference.edit")
    row = get_visible(Guardianship.objects.select_related("leader", "unit", "community", "site"), request.user, pk=pk)
    label = str(row)
    delete_row(actor=request.user, row=row)
    messages.success(request, f"已删除包挂包保：{label}")
    return redirect("reference:guardianship_list")
