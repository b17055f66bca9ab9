"""The region rule every ``for_user`` composes: regional people see their own region, federal ones every region.

``region_q(user, "municipality__region")`` is the condition on a model's path to its region; a model that
reaches its region by more than one path (an obligation's organisation, municipality or school) passes each,
and the condition holds if any of them leads to the user's region.
"""

from django.db.models import Q

FEDERAL = "federal"  # Role.FEDERAL, spelled here so that the models may import this module


def sees_every_region(user) -> bool:
    """The federal observer and a superuser of no region see every region; everyone else (a superuser of a
    region's committee too) only their own."""
    return bool(user.role == FEDERAL or (user.is_superuser and not user.region_id))


def region_q(user, *paths: str) -> Q:
    """The Q limiting a model to the user's region through ``paths`` (each ends at a Region foreign key)."""
    if sees_every_region(user):
        return Q()
    if not user.region_id:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}_id" if not path.endswith("_id") else path: user.region_id})
    return condition


def home_region(user):
    """The region a person works in; a superuser without one works in the installation's first region."""
    if user.region_id:
        return user.region
    if not user.is_superuser:
        return None
    regions = user._meta.get_field("region").related_model.objects  # the scope imports no model: no cycle
    return regions.order_by("pk").first()
