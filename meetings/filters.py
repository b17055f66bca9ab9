import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import BooleanFilter

from core.forms import FilterForm
from meetings.forms import DateInput
from meetings.models import Decision, Meeting, Obligation, ObligationStatus
from meetings.models.obligations import OPEN_STATUSES
from municipalities.models import Municipality, Organization, Region, School
from municipalities.scope import sees_every_region

# A municipal head's inbox in tabs: what the committee asked of the authority itself, of its schools, of its
# municipal organisations. The scope is the kind of unit; ``for_user`` already keeps it to the head's municipality.
SCOPES = [
    ("own", _("Поручения органу управления")),
    ("schools", _("Поручения школам района")),
    ("organizations", _("Поручения муниципальным организациям")),
]
SCOPE_UNIT = {"own": "municipality", "schools": "school", "organizations": "organization"}


class ObligationFilter(django_filters.FilterSet):
    """The filters of obligations, one definition for the control board, the inboxes, the XLSX export and the API
    (``/api/v1/obligations/``): the same parameter names everywhere; every choice list is limited to the user's
    scope (an id outside it is refused like one that does not exist)."""

    q = django_filters.CharFilter(label=_("Текст решения"), method="search")
    meeting = django_filters.ModelChoiceFilter(label=_("Совещание"), queryset=Meeting.objects.none(),
                                               field_name="decision__item__meeting", empty_label=_("все"))  # fmt: skip
    # the federal observer's filter; everyone else's filter set has no such parameter
    # (field_name only tells the API schema the parameter's type: the method matches every unit's region)
    region = django_filters.ModelChoiceFilter(label=_("Регион"), queryset=Region.objects.none(), method="by_region",
                                              field_name="municipality__region", empty_label=_("все"))  # fmt: skip
    municipality = django_filters.ModelChoiceFilter(label=_("Муниципалитет"), queryset=Municipality.objects.none(),
                                                    method="by_municipality", empty_label=_("все"))  # fmt: skip
    organization = django_filters.ModelChoiceFilter(
        label=_("Организация"), queryset=Organization.objects.none(), empty_label=_("все")
    )
    status = django_filters.ChoiceFilter(
        label=_("Статус"), choices=ObligationStatus.choices, empty_label=_("любой")
    )
    state = django_filters.ChoiceFilter(
        label=_("Состояние"), method="by_state", empty_label=_("любое"),
        choices=[("open", _("не исполнено")), ("overdue", _("просрочено")), ("due_soon", _("срок в ближайшие 7 дней")),
                 ("no_date", _("срок не установлен")), ("review", _("ждёт проверки"))],
    )  # fmt: skip
    scope = django_filters.ChoiceFilter(
        label=_("Чьи"), method="by_scope", empty_label=_("все"), choices=SCOPES
    )
    due_from = django_filters.DateFilter(
        label=_("Срок с"), field_name="due_date", lookup_expr="gte", widget=DateInput()
    )
    due_to = django_filters.DateFilter(
        label=_("по"), field_name="due_date", lookup_expr="lte", widget=DateInput()
    )
    executor = django_filters.ChoiceFilter(
        label=_("Исполнитель"),
        method="by_executor",
        empty_label=_("все"),
        choices=[("me", _("назначенные мне"))],
    )
    # not on the board's bar: the API and links from a decision or a school
    decision = django_filters.ModelChoiceFilter(label=_("Решение"), queryset=Decision.objects.none())
    school = django_filters.ModelChoiceFilter(label=_("Школа"), queryset=School.objects.none())
    # the API's earlier names, still understood
    due_after = django_filters.DateFilter(label=_("Срок с — прежнее имя параметра, теперь due_from"), field_name="due_date",
                                          lookup_expr="gte")  # fmt: skip
    due_before = django_filters.DateFilter(label=_("Срок по — прежнее имя параметра, теперь due_to"), field_name="due_date",
                                           lookup_expr="lte")  # fmt: skip
    overdue = BooleanFilter(label=_("Просрочено: true — только просроченные (как state=overdue), false — кроме них"),
                            method="by_overdue")  # fmt: skip

    class Meta:
        model = Obligation
        fields = [
            "q",
            "region",
            "meeting",
            "municipality",
            "organization",
            "status",
            "state",
            "scope",
            "due_from",
            "due_to",
            "executor",
            "decision",
            "school",
            "due_after",
            "due_before",
            "overdue",
        ]
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = user or getattr(request, "user", None) or AnonymousUser()  # the API passes the request
        self.user = user
        if sees_every_region(user):
            self.filters["region"].queryset = Region.objects.order_by("name")
        else:  # for_user already keeps them to their region: the parameter is ignored, never an error
            del self.filters["region"]
        self.filters["meeting"].queryset = Meeting.objects.for_user(user).filter(status=Meeting.Status.SIGNED)
        self.filters["municipality"].queryset = Municipality.objects.for_user(user)
        self.filters["organization"].queryset = Organization.objects.for_user(user)
        self.filters["decision"].queryset = Decision.objects.for_user(user)
        self.filters["school"].queryset = School.objects.for_user(user)

    def search(self, queryset, name, value):
        return queryset.filter(decision__text__icontains=value.strip()) if value.strip() else queryset

    def by_region(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__region=value) | Q(municipality__region=value) | Q(school__region=value)
        )

    def by_municipality(self, queryset, name, value):
        return queryset.filter(Q(municipality=value) | Q(school__municipality=value)) if value else queryset

    def by_scope(self, queryset, name, value):
        """For a municipal head: the authority's own obligations, its schools', or its organisations'."""
        if value in SCOPE_UNIT:
            return queryset.filter(**{f"{SCOPE_UNIT[value]}__isnull": False})
        return queryset

    def by_executor(self, queryset, name, value):
        """«Назначенные мне»: the obligations the person was named executor of (inside their unit's inbox)."""
        return queryset.filter(executor_id=self.user.pk) if value == "me" else queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.exclude(status=ObligationStatus.ACCEPTED)
        if value == "overdue":
            return queryset.overdue(today)
        if value == "due_soon":
            return queryset.due_soon(today)
        if value == "no_date":
            return queryset.filter(status__in=OPEN_STATUSES, due_date__isnull=True)
        if value == "review":
            return queryset.filter(status=ObligationStatus.REPORTED)
        return queryset
