"""The «Регион» filter of lists without a FilterSet (protocols, roadmaps): only the federal observer has it."""

from core.forms import parse_id
from municipalities.models import Region


def region_filter(request) -> dict:
    """The regions to choose from and the chosen one, for a person who sees every region; for everyone else
    nothing (``for_user`` keeps them to their own region, so a ``?region=`` of theirs is ignored)."""
    if not request.user.sees_every_region:
        return {"regions": [], "region": None}
    regions = list(Region.objects.order_by("name"))
    pk = parse_id(request.GET.get("region"))
    return {"regions": regions, "region": next((r for r in regions if r.pk == pk), None)}
