"""Display helpers for score rates, changes and round kinds."""

from django import template
from django.utils.html import format_html

register = template.Library()

KIND_BADGES = {
    "督查": "text-bg-primary",
    "暗访": "text-bg-dark",
    "巡查": "text-bg-info",
    "模拟测评": "text-bg-success",
    "回头看": "text-bg-warning",
}
RESULT_BADGES = {"met": "text-bg-success", "failed": "text-bg-danger", "na": "text-bg-secondary", "": "text-bg-light border"}


@register.filter
def rate(value):
    """85.3 → "85.3%"; None → "—"."""
    return "—" if value in (None, "") else f"{value:.1f}%"


@register.filter
def change(value):
    """Percentage-point change, coloured: green up, red down."""
    if value in (None, ""):
        return "—"
    if value > 0:
        return format_html('<span class="text-success">↑{}</span>', f"{value:.1f}")
    if value < 0:
        return format_html('<span class="text-danger">↓{}</span>', f"{-value:.1f}")
    return format_html('<span class="text-muted">{}</span>', "持平")


@register.filter
def kind_badge(kind):
    return format_html('<span class="badge {}">{}</span>', KIND_BADGES.get(kind, "text-bg-secondary"), kind)


@register.filter
def result_badge(line):
    label = line.get_result_display() if line.result else "未检查"
    if line.recheck_id and line.result:
        label = {"met": "整改到位", "failed": "反弹", "na": "无法核实"}[line.result]
    return format_html('<span class="badge {}">{}</span>', RESULT_BADGES.get(line.result, ""), label)


@register.filter
def points(value):
    """Decimal points without trailing zeros: 2.00 → 2, 1.50 → 1.5."""
    if value in (None, ""):
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"
