from django.conf import settings
from django.db import connections, models, router
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.fields import PointsField
from assessments.partitions import ensure_year_partitions
from core.status import StatusEvent, Transitions, status_fields
from municipalities.models import Municipality, Role, School
from municipalities.scope import region_q


class AssessmentKind(models.TextChoices):
    EGE = "EGE", _("ЕГЭ")
    OGE = "OGE", _("ОГЭ")
    GVE9 = "GVE9", _("ГВЭ-9")
    GVE11 = "GVE11", _("ГВЭ-11")
    VPR = "VPR", _("ВПР")
    REGIONAL = "REGIONAL", _("региональная диагностика")


SCORED_KINDS = {AssessmentKind.EGE}  # a test score 0–100; the others give marks 2–5


class Subject(models.Model):
    """A school subject as exams name it; aliases are the spellings found in result files."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=120)
    aliases = models.TextField(_("другие написания"), blank=True, help_text=_("По одному в строке."))
    mandatory = models.BooleanField(_("обязательный на ГИА"), default=False)

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["-mandatory", "name"]

    def __str__(self) -> str:
        return self.name


class ExamSubject(models.Model):
    """A subject as one procedure offers it — ЕГЭ, ОГЭ, ГВЭ, or ВПР in one grade — mandatory or elective."""

    kind = models.CharField(_("процедура"), max_length=10, choices=AssessmentKind.choices)
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), on_delete=models.CASCADE, related_name="offers"
    )
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True, help_text=_("Для ВПР."))
    mandatory = models.BooleanField(
        _("обязательный"), default=False, help_text=_("Иначе — по выбору (ГИА) или по назначению (ВПР).")
    )

    class Meta:
        verbose_name = _("предмет процедуры")
        verbose_name_plural = _("предметы процедур")
        ordering = ["kind", "grade", "-mandatory", "subject__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "grade"],
                condition=Q(grade__isnull=False),
                name="exam_subject_unique",
                violation_error_message=_("Этот предмет этой процедуры в этом классе уже есть."),
            ),
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(grade__isnull=True),
                name="exam_subject_unique_without_grade",
                violation_error_message=_("Этот предмет этой процедуры уже есть."),
            ),
        ]

    def __str__(self) -> str:
        grade = f", {self.grade} кл." if self.grade else ""
        kind = _("обязательный") if self.mandatory else _("по выбору")
        return f"{self.get_kind_display()}{grade}: {self.subject} ({kind})"


class Scale(models.Model):
    """The yearly scale of one exam in one subject: minimum scores and primary score → mark boundaries."""

    kind = models.CharField(_("процедура"), max_length=10, choices=AssessmentKind.choices)
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("год"))
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    max_primary = models.PositiveSmallIntegerField(_("максимальный первичный балл"), null=True, blank=True)
    min_score = models.PositiveSmallIntegerField(
        _("минимальный балл"), null=True, blank=True, help_text=_("ЕГЭ: тестовый балл для аттестата.")
    )
    min_score_university = models.PositiveSmallIntegerField(
        _("минимальный балл для вуза"), null=True, blank=True, help_text=_("Русский язык: 36.")
    )
    task_max = models.JSONField(
        _("максимальные баллы заданий"),
        default=list,
        blank=True,
        help_text=_("По порядку заданий: [1, 1, 2, 3 …]."),
    )
    mark_boundaries = models.JSONField(
        _("границы отметок"),
        default=dict,
        blank=True,
        help_text=_('Первичный балл, с которого ставится отметка: {"3": 8, "4": 15, "5": 22}.'),
    )
    test_scores = models.JSONField(
        _("перевод в тестовый балл"),
        default=list,
        blank=True,
        help_text=_("ЕГЭ: тестовый балл для первичного 0, 1, 2 …: [0, 3, 5, 8 …]."),
    )

    class Meta:
        verbose_name = _("шкала")
        verbose_name_plural = _("шкалы")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "year", "grade"],
                condition=Q(grade__isnull=False),
                name="scale_unique",
                violation_error_message=_("Шкала для этой процедуры, предмета, года и класса уже есть."),
            ),
            models.UniqueConstraint(
                fields=["kind", "subject", "year"],
                condition=Q(grade__isnull=True),
                name="scale_unique_without_grade",
                violation_error_message=_("Шкала для этой процедуры, предмета, года и класса уже есть."),
            ),
        ]

    def __str__(self) -> str:
        grade = f", {self.grade} кл." if self.grade else ""
        return f"{self.get_kind_display()} {self.subject} {self.year}{grade}"

    def test_score_for(self, primary: int | None) -> int | None:
        if primary is None or not 0 <= primary < len(self.test_scores):
            return None
        return int(self.test_scores[primary])

    def mark_for(self, primary: int | None) -> int | None:
        if primary is None or not self.mark_boundaries:
            return None
        mark = 2
        for value, threshold in sorted(((int(m), int(t)) for m, t in self.mark_boundaries.items())):
            if primary >= threshold:
                mark = value
        return mark


class CampaignQuerySet(models.QuerySet):
    def for_user(self, user) -> "CampaignQuerySet":
        """Campaigns of the user's region are facts everyone there may know; their results are scoped by school."""
        return self.filter(region_q(user, "region")) if user.is_authenticated else self.none()


class Campaign(models.Model):
    """One exam sitting of a region: procedure, subject, year and grade."""

    region = models.ForeignKey("municipalities.Region", verbose_name=_("регион"), on_delete=models.PROTECT,
                               related_name="campaigns")  # fmt: skip
    kind = models.CharField(_("процедура"), max_length=10, choices=AssessmentKind.choices)
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("год"))
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    held_on = models.DateField(_("дата"), null=True, blank=True)
    scale = models.ForeignKey(
        Scale, verbose_name=_("шкала"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Totals over the campaign's aggregates, refreshed with them: the list of campaigns and the regional
    # mean read these instead of summing some 40 000 schools' rows per campaign (issue #19).
    total_participants = models.PositiveIntegerField(_("участников"), default=0, editable=False)
    total_scored = models.PositiveIntegerField(default=0, editable=False)  # with a score or mark
    total_score_sum = models.FloatField(default=0, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("оценочная процедура")
        verbose_name_plural = _("оценочные процедуры")
        ordering = ["-year", "kind", "subject__name", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "subject", "year", "grade"],
                condition=Q(grade__isnull=False),
                name="campaign_unique_in_region",
                violation_error_message=_("Такая процедура уже есть."),
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "subject", "year"],
                condition=Q(grade__isnull=True),
                name="campaign_unique_in_region_without_grade",
                violation_error_message=_("Такая процедура уже есть."),
            ),
        ]

    def __str__(self) -> str:
        grade = f", {self.grade} класс" if self.grade else ""
        return f"{self.get_kind_display()}-{self.year}, {self.subject}{grade}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:campaign", args=[self.pk])

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS

    @property
    def scale_missing(self) -> bool:
        """A test-score campaign without a minimum score for its year: the share below the minimum and the
        band «минимум–60» are not computed (never with a guessed minimum) and pages say «шкала не задана»."""
        return self.scored and (self.scale is None or self.scale.min_score is None)

    @property
    def mean(self) -> float | None:
        """The mean score or mark over every participant (from the stored totals)."""
        return round(self.total_score_sum / self.total_scored, 2) if self.total_scored else None


class ResultQuerySet(models.QuerySet):
    def for_user(self, user) -> "ResultQuerySet":
        return self.filter(school__in=School.objects.for_user(user))

    def of_campaign(self, campaign: Campaign) -> "ResultQuerySet":
        """The rows of one campaign, read from its year's partition only."""
        return self.filter(campaign=campaign, year=campaign.year)

    def bulk_create(self, objs, *args, **kwargs):
        """Rows without a year take their campaign's; the partitions of new years are made first."""
        objs = list(objs)
        missing = {obj.campaign_id for obj in objs if obj.year is None}
        if missing:
            years = dict(Campaign.objects.filter(pk__in=missing).values_list("pk", "year"))
            for obj in objs:
                if obj.year is None:
                    obj.year = years[obj.campaign_id]
        ensure_year_partitions({obj.year for obj in objs}, using=connections[self.db])
        return super().bulk_create(objs, *args, **kwargs)


class Result(models.Model):
    """One participant's result in one campaign, under an anonymous code: never a name (152-ФЗ).

    The region loads about a million of these per exam by COPY, so the table carries only the indexes its
    readers use (every reader filters by campaign: the unique (campaign, participant_code) index serves
    them) and no database-level foreign keys: a per-row constraint trigger would double the load time.
    References stay whole all the same: rows are written only by the importer, which takes the
    campaign FOR UPDATE and the schools FOR KEY SHARE once per import (``services._lock_schools``), and
    Django's CASCADE/PROTECT handle deletions of campaigns and schools.

    On PostgreSQL the table is partitioned by ``year`` (the campaign's, copied into every row by the
    importer: ``assessments/partitions.py``); the database's primary key is (id, year), and Django addresses
    a row by ``id`` alone, which one identity sequence keeps unique across the partitions."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="results", db_constraint=False, db_index=False
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="results", db_constraint=False, db_index=False
    )
    participant_code = models.CharField(_("код участника"), max_length=40)
    class_name = models.CharField(_("класс"), max_length=10, blank=True)
    primary_score = models.SmallIntegerField(_("первичный балл"), null=True, blank=True)
    test_score = models.SmallIntegerField(_("тестовый балл"), null=True, blank=True)
    mark = models.SmallIntegerField(_("отметка"), null=True, blank=True)
    journal_mark = models.SmallIntegerField(_("отметка в журнале"), null=True, blank=True)
    task_points = PointsField(_("баллы по заданиям"))
    year = models.PositiveSmallIntegerField(_("год"), editable=False)  # the campaign's: the partition key

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("результат участника")
        verbose_name_plural = _("результаты участников")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "participant_code", "year"], name="result_participant_once"
            ),
            models.CheckConstraint(
                condition=Q(test_score__isnull=True) | Q(test_score__gte=0, test_score__lte=100),
                name="result_test_score_range",
                violation_error_message=_("Тестовый балл — от 0 до 100."),
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | Q(mark__gte=2, mark__lte=5),
                name="result_mark_range",
                violation_error_message=_("Отметка — от 2 до 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.participant_code

    def save(self, *args, **kwargs) -> None:
        if self.year is None:
            self.year = self.campaign.year
        ensure_year_partitions(
            [self.year], using=connections[kwargs.get("using") or router.db_for_write(Result)]
        )
        super().save(*args, **kwargs)


class SchoolShare(models.Model):
    """An aggregated ВПР row: one school's participants and shares of marks 2–5 in one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="school_shares")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    participants = models.PositiveIntegerField(_("участников"))
    share_2 = models.FloatField(_("% «2»"))
    share_3 = models.FloatField(_("% «3»"))
    share_4 = models.FloatField(_("% «4»"))
    share_5 = models.FloatField(_("% «5»"))

    class Meta:
        verbose_name = _("доли отметок ОО")
        verbose_name_plural = _("доли отметок ОО")
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="school_share_once")]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"


class OlympiadResult(models.Model):
    """ВсОШ results of one school: participants, winners and prize-winners by stage and subject."""

    class Stage(models.TextChoices):
        SCHOOL = "school", _("школьный")
        MUNICIPAL = "municipal", _("муниципальный")
        REGIONAL = "regional", _("региональный")
        FINAL = "final", _("заключительный")

    year = models.PositiveSmallIntegerField(_("учебный год (начало)"))
    stage = models.CharField(_("этап"), max_length=10, choices=Stage.choices)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    participants = models.PositiveIntegerField(_("участников"))
    winners = models.PositiveIntegerField(_("победителей"), default=0)
    prize_winners = models.PositiveIntegerField(_("призёров"), default=0)

    class Meta:
        verbose_name = _("результат олимпиады")
        verbose_name_plural = _("результаты олимпиады")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "stage", "subject", "school"], name="olympiad_result_once"
            ),
            models.CheckConstraint(
                condition=Q(winners__lte=models.F("participants")),
                name="olympiad_winners_within_participants",
                violation_error_message=_("Победителей не может быть больше, чем участников."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.subject} {self.year}"


class ResultAggregateQuerySet(models.QuerySet):
    def for_user(self, user) -> "ResultAggregateQuerySet":
        return self.filter(school__in=School.objects.for_user(user))


class ResultAggregate(models.Model):
    """Per campaign × school figures, refreshed after each import, so pages never scan raw results.

    Sums (not means) are stored so that municipalities and the region roll up exactly.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="aggregates")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)  # with a score or mark
    score_sum = models.FloatField(default=0)  # test scores (ЕГЭ) or marks
    below_min = models.PositiveIntegerField(default=0)
    below_university = models.PositiveIntegerField(default=0)
    band_min_60 = models.PositiveIntegerField(default=0)
    band_61_80 = models.PositiveIntegerField(default=0)
    band_81_100 = models.PositiveIntegerField(default=0)
    hundreds = models.PositiveIntegerField(default=0)
    mark_2 = models.PositiveIntegerField(default=0)
    mark_3 = models.PositiveIntegerField(default=0)
    mark_4 = models.PositiveIntegerField(default=0)
    mark_5 = models.PositiveIntegerField(default=0)

    objects = ResultAggregateQuerySet.as_manager()

    class Meta:
        verbose_name = _("сводка по ОО")
        verbose_name_plural = _("сводки по ОО")
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="aggregate_once")]
        indexes = [models.Index(fields=["campaign", "municipality"], name="aggregate_campaign_mun")]

    def __str__(self) -> str:
        return f"{self.school} — {self.campaign}"


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportJobQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "region"))
        if user.role == Role.MUNICIPALITY:
            return self.filter(created_by__municipality_id=user.municipality_id)
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One upload of a result file: checked (dry run), then imported all-or-nothing; its progress and report."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("проверяется")
        CHECKED = "checked", _("проверен")
        IMPORTING = "importing", _("загружается")
        DONE = "done", _("загружен")
        FAILED = "failed", _("ошибки — не загружен")

    region = models.ForeignKey("municipalities.Region", verbose_name=_("регион"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("Регион загрузившего: коды школ ищутся в нём."))  # fmt: skip
    kind = models.CharField(_("процедура"), max_length=10, choices=AssessmentKind.choices)
    subject = models.ForeignKey(
        Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("год"))
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    file = models.FileField(_("файл"), upload_to="imports/", max_length=200)
    filename = models.CharField(_("имя файла"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    rows = models.PositiveIntegerField(_("строк"), default=0)
    imported = models.PositiveIntegerField(_("загружено"), default=0)
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    errors = models.JSONField(_("ошибки"), default=list, blank=True)
    staged = models.JSONField(default=dict, blank=True)  # "subject_id:grade" -> staged CSV of checked rows
    mapping = models.JSONField(
        _("сопоставление столбцов"),
        default=dict,
        blank=True,
        help_text=_("Поле → заголовок в файле, если не распознан."),
    )
    notices = models.JSONField(_("замечания"), default=list, blank=True)
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("загрузка начата"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("загрузка результатов")
        verbose_name_plural = _("загрузки результатов")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("assessments:import_job", args=[self.pk])

    def check_transition(self, to: str, message: str = "") -> None:
        IMPORT_TRANSITIONS.check(self.status, to, message)


# checked (again, after a new column mapping or a retry) → committed by one worker (a duplicate delivery of the
# task claims its own job again) → done; anything that goes wrong ends failed, with its reason (a later failure
# replaces the reason), and a failed job is checked again from its file
IMPORT_TRANSITIONS = Transitions(
    ImportJob.Status,
    {
        ImportJob.Status.CHECKING: {ImportJob.Status.CHECKED, ImportJob.Status.FAILED},
        ImportJob.Status.CHECKED: {
            ImportJob.Status.CHECKING,
            ImportJob.Status.IMPORTING,
            ImportJob.Status.FAILED,
        },
        ImportJob.Status.IMPORTING: {
            ImportJob.Status.IMPORTING,
            ImportJob.Status.DONE,
            ImportJob.Status.FAILED,
        },
        ImportJob.Status.FAILED: {ImportJob.Status.CHECKING, ImportJob.Status.FAILED},
        ImportJob.Status.DONE: set(),
    },
    what="загрузку",
)


class ImportJobEvent(StatusEvent):
    """An append-only line of an import job's history: from → to, who (the person who uploaded the file, on whose
    behalf the worker acts), when, and the reason of a failure."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="events")
    subject_field = "job"
    from_status, to_status = status_fields(ImportJob.Status, max_length=10)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие загрузки результатов")
        verbose_name_plural = _("события загрузок результатов")
