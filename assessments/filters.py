import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentKind, SchoolFlag
from core.forms import FilterForm
from municipalities.models import Municipality, Region
from municipalities.scope import sees_every_region

SORTS = {
    "municipality": ("municipality__name", "school__short_name"),
    "school": ("school__short_name", "municipality__name"),
    "year": ("-year", "municipality__name"),
    "kind": ("kind", "municipality__name"),
    "score": (F("score").desc(nulls_last=True), "municipality__name"),
}


class FlagFilter(django_filters.FilterSet):
    """The flags page and API filters; choice lists limited to the user's scope."""

    # the federal observer's filter; everyone else's filter set has no such parameter (for_user limits them)
    region = django_filters.ModelChoiceFilter(
        label=_("Регион"),
        queryset=Region.objects.none(),
        field_name="municipality__region",
        empty_label=_("все"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"), queryset=Municipality.objects.none(), empty_label=_("все")
    )
    procedure = django_filters.ChoiceFilter(
        label=_("Процедура"), choices=[(k, v) for k, v in AssessmentKind.choices if k in {"EGE", "VPR"}],
        empty_label=_("любая"),
    )  # fmt: skip
    year = django_filters.NumberFilter(label=_("Год"))
    subject = django_filters.ChoiceFilter(label=_("Предмет"), choices=[], empty_label=_("любой"))
    kind = django_filters.ChoiceFilter(
        label=_("Признак"), choices=SchoolFlag.Kind.choices, empty_label=_("любой")
    )
    state = django_filters.ChoiceFilter(
        label=_("Решения"), method="by_state", empty_label=_("все"),
        choices=[("no_decision", _("без решения")), ("controlled", _("на контроле")),
                 ("improved", _("показатель улучшился")), ("not_improved", _("не улучшился"))],
    )  # fmt: skip
    sort = django_filters.ChoiceFilter(
        label=_("Порядок"), method="by_sort", empty_label=_("по муниципалитету"),
        choices=[("school", _("по школе")), ("year", _("новые сначала")), ("kind", _("по признаку")),
                 ("score", _("по силе признака"))],
    )  # fmt: skip

    class Meta:
        model = SchoolFlag
        fields = ["region", "municipality", "procedure", "year", "subject", "kind", "state", "sort"]
        form = FilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = user or self.request.user  # the API passes the request
        # The scoped choice lists are new filters for each request: the declared ones may already carry a form
        # field built once for the OpenAPI schema (with no choices), which copying would keep.
        subjects = SchoolFlag.objects.for_user(user).exclude(subject="").values_list("subject", flat=True)
        self._replace(django_filters.ModelChoiceFilter(
            field_name="municipality", label=_("Муниципалитет"), queryset=Municipality.objects.for_user(user),
            empty_label=_("все"),
        ))  # fmt: skip
        if sees_every_region(user):
            self.filters["region"] = django_filters.ModelChoiceFilter(
                field_name="municipality__region",
                label=_("Регион"),
                queryset=Region.objects.order_by("name"),
                empty_label=_("все"),
            )
            self.filters["region"].parent, self.filters["region"].model = self, SchoolFlag
        else:
            del self.filters["region"]
        self._replace(django_filters.ChoiceFilter(
            field_name="subject", label=_("Предмет"), choices=[(s, s) for s in sorted(set(subjects))],
            empty_label=_("любой"),
        ))  # fmt: skip

    def _replace(self, scoped: django_filters.Filter) -> None:
        scoped.parent, scoped.model = self, SchoolFlag
        self.filters[scoped.field_name] = scoped

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["municipality"], "kind", "pk")
        return queryset

    def by_state(self, queryset, name, value):
        if value == "no_decision":
            return queryset.filter(decisions__isnull=True)
        if value == "controlled":
            return queryset.filter(decisions__item__meeting__status="signed").distinct()
        if value == "improved":
            return queryset.filter(followup__improved=True)
        if value == "not_improved":
            return queryset.filter(followup__improved=False)
        return queryset

    def by_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["municipality"]), "kind", "pk")
