from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role, one_unit_condition, unit_fields
from municipalities.scope import region_q


class MeetingInviteeQuerySet(models.QuerySet):
    def for_user(self, user) -> "MeetingInviteeQuerySet":
        """Invitations addressed to the user's own unit (a municipal head's also those of its schools)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(
                region_q(user, "organization__region", "municipality__region", "school__region")
            )
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(
                Q(municipality_id=user.municipality_id) | Q(school__municipality_id=user.municipality_id)
            )
        if user.role == Role.SCHOOL and user.school_id:
            return self.filter(school_id=user.school_id)
        if user.organization_id:
            return self.filter(organization_id=user.organization_id)
        return self.none()


class MeetingInvitee(models.Model):
    """A unit invited to a planned meeting: its people receive the agenda and an .ics invitation."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="invitees")
    organization, municipality, school = unit_fields("meeting_invitations", on_delete=models.CASCADE)
    sent_at = models.DateTimeField(_("приглашение отправлено"), null=True, blank=True)

    objects = MeetingInviteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("приглашённый на совещание")
        verbose_name_plural = _("приглашённые на совещание")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=one_unit_condition(group=False),
                name="meeting_invitee_has_one_unit",
                violation_error_message=_("Приглашённый — ровно одна организация, муниципалитет или школа."),
            ),
        ]

    def __str__(self) -> str:
        if self.municipality_id:
            return self.municipality.authority_short_name or self.municipality.name
        return str(self.unit)

    @property
    def unit(self):
        return self.organization or self.municipality or self.school

    def people(self):
        """Who receives the invitation: the active users of the unit (a municipality: its authority's head)."""
        from municipalities.models import User

        users = User.objects.filter(is_active=True)
        if self.municipality_id:
            return users.filter(role=Role.MUNICIPALITY, municipality_id=self.municipality_id)
        if self.school_id:
            return users.filter(role=Role.SCHOOL, school_id=self.school_id)
        return users.filter(organization_id=self.organization_id)
