"""The organisation tree of a region and the people who work in it.

Region → committee (with departments) and regional organisations → municipalities
(each with its education authority) → schools. Every unit has an editable name and a
stable code; the many ways documents spell a body are kept as aliases.
"""

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipalities.scope import region_q

_QUOTES = re.compile(r"[«»\"“”„'`]")
_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """The form in which names are compared: lower case, ё as е, no quotes, single spaces."""
    text = _QUOTES.sub("", text.lower().replace("ё", "е"))
    return _SPACES.sub(" ", text).strip(" .,;")


class Role(models.TextChoices):
    COMMITTEE = "committee", _("Сотрудник комитета")
    MUNICIPALITY = "municipality", _("Руководитель органа управления образованием")
    SCHOOL = "school", _("Руководитель образовательной организации")
    ORGANIZATION = "organization", _("Сотрудник подведомственной организации")
    OBSERVER = "observer", _("Наблюдатель")
    FEDERAL = "federal", _("Федеральный наблюдатель")


REGION_WIDE_ROLES = {Role.COMMITTEE, Role.OBSERVER, Role.FEDERAL}
READ_ONLY_ROLES = {Role.OBSERVER, Role.FEDERAL}
UNIT_FIELDS = ("organization", "municipality", "school")


def one_unit_condition(*, group: bool, schools_of_municipality: bool = False) -> Q:
    """Exactly one of organisation / municipality / school is set (or, with ``group``, a whole group instead).

    With ``schools_of_municipality`` the group of schools may be narrowed to one municipality's schools.
    """
    extra = {"group": ""} if group else {}
    condition = Q()
    for chosen in UNIT_FIELDS:
        condition |= Q(**{f"{name}__isnull": name != chosen for name in UNIT_FIELDS}, **extra)
    if group:
        condition |= Q(**{f"{name}__isnull": True for name in UNIT_FIELDS}) & ~Q(group="")
    if schools_of_municipality:
        condition |= Q(
            group="schools", organization__isnull=True, municipality__isnull=False, school__isnull=True
        )
    return condition


def unit_fields(related_name: str | None, on_delete=models.PROTECT) -> tuple:
    """The optional organisation / municipality / school links of anything that points at one unit."""

    def link(model, label):
        return models.ForeignKey(model, verbose_name=label, on_delete=on_delete, null=True, blank=True,
                                 related_name=related_name)  # fmt: skip

    return (
        link("municipalities.Organization", _("организация")),
        link("municipalities.Municipality", _("муниципалитет")),
        link("municipalities.School", _("школа")),
    )


class Region(models.Model):
    """A subject of the Russian Federation whose education the portal oversees."""

    code = models.CharField(_("код"), max_length=8, unique=True)
    name = models.CharField(_("название"), max_length=200)
    municipal_organizations_addressable = models.BooleanField(
        _("муниципальные протоколы дают поручения муниципальным организациям"),
        default=False,
        help_text=_(
            "Если включено, протокол муниципалитета может давать поручения не только его школам, "
            "но и его муниципальным организациям (методическим центрам, центрам питания и т. п.)."
        ),
    )

    class Meta:
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganizationQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "region"))
        if user.role == Role.ORGANIZATION and user.organization_id:
            return self.filter(Q(pk=user.organization_id) | Q(parent_id=user.organization_id))
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class Organization(models.Model):
    """A body other than a school: the committee, its department, a regional or a municipal organisation."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Орган управления образованием региона")
        DEPARTMENT = "department", _("Отдел комитета")
        SUBORDINATE = "subordinate", _("Подведомственная организация")
        COLLEGE = "college", _("Профессиональная образовательная организация")
        MUNICIPAL = "municipal", _("Муниципальная организация")

    region = models.ForeignKey(Region, verbose_name=_("регион"), on_delete=models.PROTECT)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("входит в"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("муниципалитет"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Только для муниципальной организации: муниципалитет, которому она подведомственна."),
    )
    code = models.CharField(_("код"), max_length=32)
    name = models.CharField(_("полное название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=120)
    is_active = models.BooleanField(_("действует"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("организация региона")
        verbose_name_plural = _("организации региона")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="organization_code_unique_in_region",
                violation_error_message=_("Организация с таким кодом в этом регионе уже есть."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="department") | Q(parent__isnull=False),
                name="organization_department_has_parent",
                violation_error_message=_("Отдел должен входить в состав комитета."),
            ),
            models.CheckConstraint(
                condition=Q(kind="municipal", municipality__isnull=False)
                | (~Q(kind="municipal") & Q(municipality__isnull=True)),
                name="organization_municipal_has_municipality",
                violation_error_message=_(
                    "Муниципалитет указывается только у муниципальной организации, и у неё он обязателен."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:organization", args=[self.pk])

    def clean(self) -> None:
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            raise ValidationError(
                {"municipality": _("Муниципалитет должен быть в том же регионе, что и организация.")}
            )


class MunicipalityQuerySet(models.QuerySet):
    def for_user(self, user) -> "MunicipalityQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "region"))
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(pk=user.municipality_id)
        if user.role == Role.SCHOOL and user.school_id:
            return self.filter(schools=user.school_id)
        return self.none()

    def with_counts(self) -> "MunicipalityQuerySet":
        active = Q(schools__is_active=True)
        return self.annotate(
            school_count=models.Count("schools", filter=active),
            low_result_count=models.Count("schools", filter=active & Q(schools__low_results=True)),
            difficult_count=models.Count("schools", filter=active & Q(schools__difficult_conditions=True)),
        )


class Municipality(models.Model):
    """A municipal district or okrug, represented by its education authority (ОМСУ / МОУО)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("муниципальный район")
        MUNICIPAL_OKRUG = "municipal_okrug", _("муниципальный округ")
        CITY_OKRUG = "city_okrug", _("городской округ")

    region = models.ForeignKey(Region, verbose_name=_("регион"), on_delete=models.PROTECT)
    code = models.CharField(
        _("код МСУ"),
        max_length=16,
        help_text=_("Постоянный код, как в файлах результатов; единственный в регионе."),
    )
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices)
    authority_name = models.CharField(_("орган управления образованием"), max_length=300)
    authority_short_name = models.CharField(_("краткое название органа"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail органа"), blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="municipality_code_unique_in_region",
                violation_error_message=_("Муниципалитет с таким кодом в этом регионе уже есть."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:municipality", args=[self.pk])


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user) -> "SchoolQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "region"))
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        if user.role == Role.SCHOOL and user.school_id:
            return self.filter(pk=user.school_id)
        return self.none()


SCHOOL_KIND_SHORT = {
    "sosh": "СОШ", "oosh": "ООШ", "nosh": "НОШ", "center": "ЦО", "evening": "вечерняя школа",
}  # fmt: skip


class School(models.Model):
    """An educational organisation (ОО) of a municipality: a school, gymnasium, lyceum or branch."""

    class Kind(models.TextChoices):
        SOSH = "sosh", _("средняя общеобразовательная школа")
        OOSH = "oosh", _("основная общеобразовательная школа")
        NOSH = "nosh", _("начальная общеобразовательная школа")
        GYMNASIUM = "gymnasium", _("гимназия")
        LYCEUM = "lyceum", _("лицей")
        CENTER = "center", _("центр образования")
        BOARDING = "boarding", _("школа-интернат")
        EVENING = "evening", _("вечерняя (сменная) школа")
        BRANCH = "branch", _("филиал")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.PROTECT, related_name="schools"
    )
    # always the municipality's region (set on save): codes are unique per region and scoping filters by it
    region = models.ForeignKey(
        Region, verbose_name=_("регион"), on_delete=models.PROTECT, editable=False, blank=True
    )
    code = models.CharField(
        _("код ОО"),
        max_length=16,
        help_text=_("Постоянный код, как в файлах результатов; единственный в регионе."),
    )
    name = models.CharField(_("полное название"), max_length=400)
    short_name = models.CharField(_("краткое название"), max_length=200)
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("основная организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    monitoring_login = models.CharField(
        _("логин ФИС ОКО"),
        max_length=32,
        blank=True,
        help_text=_("Логин ОО в федеральной системе мониторинга."),
    )
    locality = models.CharField(_("населённый пункт"), max_length=120, blank=True)
    is_rural = models.BooleanField(_("сельская школа"), default=False)
    low_results = models.BooleanField(_("школа с низкими результатами"), default=False)
    difficult_conditions = models.BooleanField(_("неблагоприятные социальные условия"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["municipality__name", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="school_code_unique_in_region",
                violation_error_message=_("Школа с таким кодом в этом регионе уже есть."),
            ),
            models.UniqueConstraint(
                fields=["monitoring_login"],
                condition=~Q(monitoring_login=""),
                name="school_monitoring_login_unique",
                violation_error_message=_("Этот логин ФИС ОКО уже принадлежит другой школе."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="branch") | Q(parent__isnull=False),
                name="school_branch_has_parent",
                violation_error_message=_("Для филиала укажите основную организацию."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        if self.municipality_id:
            self.region_id = self.municipality.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("municipalities:school", args=[self.pk])

    @property
    def kind_short(self) -> str:
        return SCHOOL_KIND_SHORT.get(self.kind, self.get_kind_display())

    def clean(self) -> None:
        if self.municipality_id:
            self.region_id = self.municipality.region_id
        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError(
                {"parent": _("Филиал должен быть в том же муниципалитете, что и основная школа.")}
            )
        if self.region_id and School.objects.filter(region_id=self.region_id, code=self.code).exclude(
            pk=self.pk
        ):
            raise ValidationError({"code": _("Школа с таким кодом в этом регионе уже есть.")})


class Alias(models.Model):
    """Another way documents name a body ("КОиПО ЛО", "МОУО", "руководители ОО") and what it means.

    An alias points at exactly one unit, or at a whole class of units: every municipal
    education authority, or every school in scope.
    """

    class Group(models.TextChoices):
        NONE = "", _("—")
        MUNICIPALITIES = "municipalities", _("все органы управления образованием муниципалитетов")
        SCHOOLS = "schools", _("все образовательные организации")

    region = models.ForeignKey(
        Region, verbose_name=_("регион"), on_delete=models.PROTECT, related_name="aliases", null=True, blank=True,
        help_text=_("Для варианта названия организации, муниципалитета или школы берётся из неё."),
    )  # fmt: skip
    text = models.CharField(_("написание"), max_length=300)
    normalized = models.CharField(_("для сравнения"), max_length=300, editable=False)
    organization, municipality, school = unit_fields("aliases", on_delete=models.CASCADE)
    group = models.CharField(_("группа"), max_length=20, choices=Group.choices, blank=True, default="")

    class Meta:
        verbose_name = _("вариант названия")
        verbose_name_plural = _("варианты названий")
        ordering = ["text"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "normalized"],
                name="alias_unique_in_region",
                violation_error_message=_("Такое написание в этом регионе уже есть."),
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=False),
                name="alias_has_region",
                violation_error_message=_("Укажите регион варианта названия."),
            ),
            models.CheckConstraint(
                condition=one_unit_condition(group=True),
                name="alias_points_at_exactly_one_target",
                violation_error_message=_(
                    "Вариант названия должен указывать ровно на одно: организацию, муниципалитет, школу или группу."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize_name(self.text)
        self._take_region()
        super().save(*args, **kwargs)

    def _take_region(self) -> None:
        """An alias of a unit belongs to the unit's region; a group alias names its region itself."""
        unit = self.organization or self.municipality or self.school
        if unit is not None:
            self.region_id = unit.region_id

    def clean(self) -> None:
        self.normalized = normalize_name(self.text)
        self._take_region()
        if not self.normalized:
            raise ValidationError({"text": _("Введите написание названия.")})
        if not self.region_id:
            raise ValidationError({"region": _("Укажите регион варианта названия.")})
        clash = (
            Alias.objects.filter(region_id=self.region_id, normalized=self.normalized)
            .exclude(pk=self.pk)
            .first()
        )
        if clash:
            raise ValidationError({"text": _("Такое написание уже есть: «%(text)s».") % {"text": clash.text}})

    @property
    def target(self):
        return self.organization or self.municipality or self.school or self.get_group_display()


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.COMMITTEE)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: committee staff, a municipal head, a school director, an observer."""

    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.OBSERVER)
    region = models.ForeignKey(
        Region, verbose_name=_("регион"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Обязателен для всех, кроме федерального наблюдателя; для сотрудника школы, муниципалитета "
                    "или организации берётся из неё."),
    )  # fmt: skip
    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    organization, municipality, school = unit_fields("staff")
    is_demo = models.BooleanField(
        _("демонстрационный"), default=False, help_text=_("Входит только в демонстрационном режиме.")
    )
    email_mode = models.CharField(
        _("напоминания по почте"),
        max_length=10,
        choices=[
            ("immediate", _("сразу")),
            ("digest", _("одним письмом в день")),
            ("off", _("не присылать")),
        ],
        default="immediate",
    )
    calendar_token = models.CharField(_("ключ календаря"), max_length=64, blank=True, db_index=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="federal") | Q(is_superuser=True) | Q(region__isnull=False),
                name="user_regional_role_has_region",
                violation_error_message=_(
                    "Укажите регион: без него работает только федеральный наблюдатель."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role="municipality") | Q(municipality__isnull=False),
                name="user_municipal_head_has_municipality",
                violation_error_message=_("Для руководителя органа управления укажите муниципалитет."),
            ),
            models.CheckConstraint(
                condition=~Q(role="school") | Q(school__isnull=False),
                name="user_director_has_school",
                violation_error_message=_("Для руководителя ОО укажите школу."),
            ),
            models.CheckConstraint(
                condition=~Q(role="organization") | Q(organization__isnull=False),
                name="user_staff_has_organization",
                violation_error_message=_("Для сотрудника подведомственной организации укажите организацию."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        """A new password (changed or reset) and a deactivation revoke the person's API token."""
        password_changed = self._password is not None
        self._take_region()
        super().save(*args, **kwargs)
        if password_changed or not self.is_active:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()

    def _take_region(self) -> None:
        """A person of a school, municipality or organisation works in its region."""
        unit = self.school or self.municipality or self.organization
        if unit is not None:
            self.region_id = unit.region_id

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """ "Иванова А.П." — as names are written in protocols."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    @property
    def is_region_wide(self) -> bool:
        return self.is_superuser or self.role in REGION_WIDE_ROLES

    @property
    def is_read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES and not self.is_superuser

    def works_in(self, region_id: int | None) -> bool:
        """Whether the person acts in that region: their own, or any for a superuser."""
        if self.region_id is None:
            return self.is_superuser
        return self.region_id == region_id

    @property
    def sees_every_region(self) -> bool:
        from municipalities.scope import sees_every_region

        return sees_every_region(self)

    @property
    def is_federal(self) -> bool:
        return self.role == Role.FEDERAL

    @property
    def is_committee(self) -> bool:
        return self.is_superuser or self.role == Role.COMMITTEE

    @property
    def unit(self):
        """The unit a user answers for: their school, municipality or organisation."""
        return {
            Role.SCHOOL: self.school,
            Role.MUNICIPALITY: self.municipality,
            Role.ORGANIZATION: self.organization,
            Role.COMMITTEE: self.organization,
        }.get(self.role)

    def clean(self) -> None:
        super().clean()
        errors = {}
        required = {
            Role.MUNICIPALITY: "municipality",
            Role.SCHOOL: "school",
            Role.ORGANIZATION: "organization",
        }
        field = required.get(self.role)
        if field and not getattr(self, f"{field}_id"):
            errors[field] = _("Для роли «%(role)s» это поле обязательно.") % {"role": self.get_role_display()}
        self._take_region()
        if not self.region_id and self.role != Role.FEDERAL and not self.is_superuser and not errors:
            errors["region"] = _("Для роли «%(role)s» укажите регион.") % {"role": self.get_role_display()}
        if self.role == Role.SCHOOL and self.school_id and self.municipality_id:
            if self.school.municipality_id != self.municipality_id:
                errors["municipality"] = _("Школа не относится к этому муниципалитету.")
        if errors:
            raise ValidationError(errors)
