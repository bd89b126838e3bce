"""``{% form_token %}``: the one-time key of a create or confirm form (see campaign/services/once.py)."""

from django import template
from django.utils.html import format_html

from campaign.services.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
