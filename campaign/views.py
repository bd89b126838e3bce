from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import health as health_checks
from . import services
from .access import require_role, unit_for
from .forms import LoginForm, PasswordForm, ProfileForm
from .models import Event, Membership, Notification, OrgUnit, Role

PortalPasswordChangeForm = PasswordForm


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def home(request):
    """工作台: the user's to-do cards (gathered from each app), units and roles, recent inbox."""
    todos = []
    for config in apps.get_app_configs():
        provider = getattr(config, "todos", None)
        if provider:
            todos.extend(provider(request.user))
    context = {
        "todos": todos,
        "recent_notifications": request.user.notifications.all()[:8],
    }
    return render(request, "campaign/home.html", context)


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
    contacts = Membership.objects.filter(role__in=[Role.UNIT_HEAD, Role.LIAISON]).select_related("user")
    units = units.prefetch_related(Prefetch("memberships", queryset=contacts, to_attr="contacts"))
    page = Paginator(units.order_by("path"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "campaign/unit_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": OrgUnit.Kind.choices, "flat": bool(query or kind)},
    )


def unit_detail(request, pk):
    unit = unit_for(request.user, pk)
    members = unit.memberships.select_related("user").order_by("role", "user__full_name")
    children = unit.children.filter(is_active=True).annotate(n_members=Count("memberships")).order_by("path")
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "members": members,
        "children": children,
        "events": Event.objects.for_object(unit).select_related("actor")[:50],
    }
    return render(request, "campaign/unit_detail.html", context)


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            services.profile_update(user=request.user, data=changed)
        messages.success(request, "个人资料已保存。")
        return redirect("campaign:profile")
    memberships = request.user.memberships.select_related("unit").order_by("unit__path")
    events = Event.objects.for_object(request.user).select_related("actor")[:20]
    return render(request, "campaign/profile.html", {"form": form, "memberships": memberships, "events": events})


def inbox(request):
    show = request.GET.get("show", "all")
    notes = request.user.notifications.all()
    if show == "unread":
        notes = notes.unread()
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "campaign/notification_list.html", {"page": page, "show": show})


@require_POST
def inbox_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标记为已读。")
    return redirect("campaign:inbox")


@require_POST
def notification_open(request, pk):
    """Mark the notification read and follow its link (only to this site). A POST: a GET (link
    prefetch, a crawler, a mail scanner) must not change what is read."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("campaign:inbox")


def health(request):
    """系统状态: free space, database, broker and outbox, for the people who keep the system."""
    require_role(request.user, "office")
    context = {"volumes": health_checks.volumes(), "database_ok": health_checks.database_ok(),
               "broker_ok": health_checks.broker_ok(), "outbox_backlog": health_checks.outbox_backlog(),
               "low_free": settings.STORAGE_LOW_FREE_BYTES}
    return render(request, "campaign/health.html", context)
