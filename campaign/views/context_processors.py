from django.conf import settings
from django.utils import timezone

from campaign.access import can
from campaign.models.workdays import missing_calendar_years
from campaign.views.navigation import menu_for


def portal(request):
    user = getattr(request, "user", None)
    context = {"CITY_NAME": settings.CITY_NAME, "MAX_BODY_BYTES": settings.REQUEST_MAX_BODY_BYTES}
    if user is None or not user.is_authenticated:
        return context
    context["nav_menu"] = menu_for(user, request.path)
    context["unread_count"] = user.notifications.unread().count()
    context["my_memberships"] = list(user.memberships.current().select_related("unit").order_by("unit__path"))
    if can(user, "calendar.edit"):
        # Deadlines fall back to Mon–Fri for a year nobody has entered: tell the office, nobody else.
        context["calendar_missing_years"] = missing_calendar_years(timezone.localdate())
    return context
