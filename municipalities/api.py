"""REST endpoints of the organisation tree, read-only and scoped by ``for_user``."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from municipalities.models import Municipality, Organization, School, User


class MunicipalityOutputSerializer(serializers.ModelSerializer):
    # The address may be blank, which the "email" format of the schema would not allow.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Municipality
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "authority_name",
            "authority_short_name",
            "email",
            "is_active",
        ]


class SchoolOutputSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(read_only=True)
    municipality_code = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = School
        fields = [
            "id", "code", "name", "short_name", "kind", "municipality", "municipality_code", "parent",
            "monitoring_login", "locality", "is_rural", "low_results", "difficult_conditions", "is_active",
        ]  # fmt: skip


class OrganizationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "code", "name", "short_name", "kind", "parent", "is_active"]


class MeOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)  # may be blank: not the schema's "email" format
    is_read_only = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "organization", "municipality", "school",
                  "is_read_only"]  # fmt: skip


class SchoolFilterSet(filters.FilterSet):
    municipality_code = filters.CharFilter(field_name="municipality__code")

    class Meta:
        model = School
        fields = [
            "municipality",
            "municipality_code",
            "kind",
            "code",
            "low_results",
            "difficult_conditions",
            "is_active",
        ]


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities in the user's scope."""

    serializer_class = MunicipalityOutputSerializer
    search_fields = ["name", "code", "authority_name"]
    filterset_fields = ["code", "kind", "is_active"]

    def get_queryset(self):
        return Municipality.objects.for_user(self.request.user).order_by("name")


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """Schools in the user's scope."""

    serializer_class = SchoolOutputSerializer
    filterset_class = SchoolFilterSet
    search_fields = ["name", "short_name", "code", "monitoring_login"]
    ordering_fields = ["code", "short_name"]

    def get_queryset(self):
        return School.objects.for_user(self.request.user).select_related("municipality").order_by("code")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Regional organisations in the user's scope."""

    serializer_class = OrganizationOutputSerializer
    filterset_fields = ["code", "kind"]
    search_fields = ["name", "short_name", "code"]

    def get_queryset(self):
        return Organization.objects.for_user(self.request.user).order_by("code")


@extend_schema(responses=MeOutputSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user, their role and the unit they answer for."""
    return Response(MeOutputSerializer(request.user).data)
