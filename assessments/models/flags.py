from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, School


class SchoolFlagQuerySet(models.QuerySet):
    def for_user(self, user) -> "SchoolFlagQuerySet":
        schools = School.objects.for_user(user)
        municipalities = Municipality.objects.for_user(user)
        return self.filter(Q(school__in=schools) | Q(school__isnull=True, municipality__in=municipalities))

    def with_loop(self) -> "SchoolFlagQuerySet":
        """Per flag: decisions made on it, and those in signed protocols (under control)."""
        return self.annotate(
            decision_count=models.Count("decisions", distinct=True),
            controlled_count=models.Count(
                "decisions", filter=Q(decisions__item__meeting__status="signed"), distinct=True
            ),
        )


class SchoolFlag(models.Model):
    """A sign for follow-up (never a verdict), with the reasons it was raised; recomputed after imports.

    A flag keeps its identity (kind, school or municipality, subject, grade, year) across recomputations, so
    decisions made on it stay linked; one that no longer fires but has decisions is kept inactive."""

    class Kind(models.TextChoices):
        LOW_RESULTS = "low_results", _("низкие результаты")
        GIA_RISK = "gia_risk", _("группа риска ГИА")
        VPR_OBJECTIVITY = "vpr_objectivity", _("признаки необъективности ВПР")

    kind = models.CharField(_("признак"), max_length=20, choices=Kind.choices)
    procedure = models.CharField(
        _("процедура"), max_length=10, blank=True, help_text=_("Пусто: сводный показатель по ВПР, ОГЭ и ЕГЭ.")
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("предмет"), max_length=120, blank=True)
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    reasons = models.JSONField(_("почему"), default=list)
    score = models.FloatField(null=True, blank=True)
    active = models.BooleanField(_("срабатывает"), default=True)
    followup = models.JSONField(
        _("через год"),
        default=dict,
        blank=True,
        help_text=_("Тот же показатель по результатам следующего года."),
    )
    computed_at = models.DateTimeField(_("рассчитан"), auto_now=True)

    objects = SchoolFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("признак для внимания")
        verbose_name_plural = _("признаки для внимания")
        ordering = ["kind", "municipality__name", "school__short_name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.school or self.municipality}"

    @property
    def identity(self) -> tuple:
        return (self.kind, self.school_id, self.municipality_id, self.subject, self.grade, self.year)

    @property
    def unit_name(self) -> str:
        return self.school.short_name if self.school_id else self.municipality.name

    @property
    def improved(self) -> bool | None:
        return self.followup.get("improved") if self.followup else None


class FlagThresholds(models.Model):
    """A region's thresholds of the flags (one row per region, edited by its committee staff); saving recomputes
    the region's flags."""

    region = models.OneToOneField("municipalities.Region", verbose_name=_("регион"), on_delete=models.CASCADE,
                                  related_name="flag_thresholds")  # fmt: skip

    min_participants = models.PositiveSmallIntegerField(
        _("наименьшая группа, участников"), default=10, validators=[MinValueValidator(2)],
        help_text=_("Школа, предмет или класс с меньшим числом участников не оценивается."),
    )  # fmt: skip
    gia_min_failed = models.PositiveSmallIntegerField(
        _("ГИА: участников ниже минимума, не меньше"), default=3, validators=[MinValueValidator(1)]
    )
    gia_min_share = models.FloatField(
        _("ГИА: доля участников ниже минимума, %, не меньше"), default=10,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )  # fmt: skip
    low_decile = models.FloatField(
        _("низкие результаты: нижняя доля школ региона, %"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )  # fmt: skip
    low_years_needed = models.PositiveSmallIntegerField(
        _("низкие результаты: лет из трёх"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    journal_mean_diff = models.FloatField(
        _("ВПР: расхождение с журнальной отметкой, баллов"), default=0.5,
        validators=[MinValueValidator(0.1), MaxValueValidator(3)],
    )  # fmt: skip
    bunching_share = models.FloatField(
        _("ВПР: доля работ ровно на границе «3», %, не меньше"), default=25,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )  # fmt: skip
    fdr_q = models.FloatField(
        _("ВПР: уровень ложных открытий (Бенджамини — Хохберг)"), default=0.10,
        validators=[MinValueValidator(0.001), MaxValueValidator(0.5)],
    )  # fmt: skip
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("изменены"), null=True, blank=True)
    recomputed_at = models.DateTimeField(_("признаки пересчитаны"), null=True, blank=True)

    class Meta:
        verbose_name = _("пороги признаков")
        verbose_name_plural = _("пороги признаков")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_participants__gte=2),
                name="flag_thresholds_min_participants",
                violation_error_message=_("Наименьшая группа — не меньше 2 участников."),
            ),
            models.CheckConstraint(
                condition=Q(
                    gia_min_share__gte=0, gia_min_share__lt=100, low_decile__gt=0, low_decile__lt=100
                ),
                name="flag_thresholds_percentages",
                violation_error_message=_("Доли задаются в процентах, от 0 до 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Пороги признаков')}: {self.region}"

    @classmethod
    def current(cls, region_id: int) -> "FlagThresholds":
        return cls.objects.get_or_create(region_id=region_id)[0]

    def as_settings(self):
        from assessments.analytics.flags import FlagSettings

        return FlagSettings(
            min_participants=self.min_participants,
            gia_min_failed=self.gia_min_failed,
            gia_min_share=self.gia_min_share / 100,
            low_decile=self.low_decile / 100,
            low_years_needed=self.low_years_needed,
            journal_mean_diff=self.journal_mean_diff,
            bunching_share=self.bunching_share / 100,
            fdr_q=self.fdr_q,
        )

    @property
    def recomputing(self) -> bool:
        return bool(self.updated_at and (self.recomputed_at is None or self.recomputed_at < self.updated_at))
