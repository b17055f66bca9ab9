"""The monitoring's panel on a decision page (meetings never imports this app; its template loads the tag)."""

from django import template

from mechanisms.forms import LinkForm
from mechanisms.models import MonitoringLink

register = template.Library()


@register.inclusion_tag("mechanisms/_decision_link.html", takes_context=True)
def mechanism_link_panel(context, decision):
    user = context["request"].user
    link = MonitoringLink.objects.filter(decision=decision).select_related("direction").first()
    can_edit = (
        user.is_committee and not user.is_read_only and decision.item.meeting.user_can_manage(user)
        and decision.tracked and not decision.requires_roadmap and decision.item.meeting.status == "signed"
    )  # fmt: skip
    initial = {"year": link.year, "direction": link.direction_id} if link else {}
    form = LinkForm(initial=initial, user=user) if can_edit else None
    return {"decision": decision, "link": link, "can_edit": can_edit, "form": form, "request": context["request"],
            "csrf_token": context.get("csrf_token")}  # fmt: skip
