from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, School


class SchoolFlagQuerySet(models.QuerySet):
    def for_user(self, user) -> "SchoolFlagQuerySet":
        from django.db.models import Q

        schools = School.objects.for_user(user)
        municipalities = Municipality.objects.for_user(user)
        return self.filter(Q(school__in=schools) | Q(school__isnull=True, municipality__in=municipalities))


class SchoolFlag(models.Model):
    """A sign for follow-up (never a verdict), with the reasons it was raised; recomputed after imports."""

    class Kind(models.TextChoices):
        LOW_RESULTS = "low_results", _("низкие результаты")
        GIA_RISK = "gia_risk", _("группа риска ГИА")
        VPR_OBJECTIVITY = "vpr_objectivity", _("признаки необъективности ВПР")

    kind = models.CharField(_("признак"), max_length=20, choices=Kind.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("предмет"), max_length=120, blank=True)
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    reasons = models.JSONField(_("почему"), default=list)
    score = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField(_("рассчитан"), auto_now=True)

    objects = SchoolFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("признак для внимания")
        verbose_name_plural = _("признаки для внимания")
        ordering = ["kind", "municipality__name", "school__short_name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.school or self.municipality}"
