from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def num(value, places: int = 1) -> str:
    """The one rule for figures people read: «—» for no data, 0 for zero, counts as they are, percentages and
    means with one decimal (Russian comma): ``{{ row.mean|num }}``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return number_format(value)
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return "—"
    if not value.is_finite():
        return "—"
    if value == 0:
        return "0"
    places = int(places)
    value = value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )  # number_format cuts, not rounds
    return "0" if value == 0 else number_format(value, decimal_pos=places)
