import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Region, School
from municipalities.scope import sees_every_region


class SchoolFilter(django_filters.FilterSet):
    """Filters of the school list; the municipality choices are limited to the user's scope."""

    q = django_filters.CharFilter(label=_("Поиск"), method="search")
    region = django_filters.ModelChoiceFilter(label=_("Регион"), queryset=Region.objects.none())
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"), queryset=Municipality.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("Тип"), choices=School.Kind.choices)
    low_results = django_filters.BooleanFilter(label=_("Низкие результаты"))
    difficult_conditions = django_filters.BooleanFilter(label=_("Неблагоприятные условия"))
    is_rural = django_filters.BooleanFilter(label=_("Сельская"))

    class Meta:
        model = School
        fields = ["q", "region", "municipality", "kind", "low_results", "difficult_conditions", "is_rural"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = Municipality.objects.for_user(user).select_related("region")
        if sees_every_region(user):  # the ministry's view: every region, with a filter by region
            self.filters["region"].queryset = Region.objects.order_by("name")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(code__iexact=value)
            | Q(monitoring_login__iexact=value)
            | Q(locality__icontains=value)
        )
