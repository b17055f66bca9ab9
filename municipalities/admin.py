from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdminMixin
from municipalities.models import Alias, Municipality, Organization, Region, School, User
from municipalities.scope import region_q, sees_every_region


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["text", "group"]
    readonly_fields = ["group"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipal_organizations_addressable"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if sees_every_region(request.user) else queryset.filter(pk=request.user.region_id)


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "parent", "municipality", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent", "municipality"]
    search_fields = ["name", "short_name", "code", "aliases__text"]
    inlines = [AliasInline]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "authority_short_name", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "authority_name", "aliases__text"]
    inlines = [AliasInline]


@admin.register(School)
class SchoolAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "short_name",
        "code",
        "municipality",
        "kind",
        "low_results",
        "difficult_conditions",
        "is_active",
    ]
    list_filter = [
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "kind",
        "low_results",
        "difficult_conditions",
        "is_rural",
        "is_active",
    ]
    search_fields = ["name", "short_name", "code", "monitoring_login", "aliases__text"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["text", "target_display", "region"]
    search_fields = ["text"]
    list_filter = ["group", ("region", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["organization", "municipality", "school"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region_q(request.user, "region"))

    @admin.display(description=_("что означает"))
    def target_display(self, obj: Alias) -> str:
        return str(obj.target)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "region",
        "municipality",
        "school",
        "organization",
        "is_active",
    ]
    list_filter = ["role", ("region", admin.RelatedOnlyFieldListFilter), "is_active", "is_staff", "is_demo"]
    search_fields = ["username", "last_name", "first_name", "email"]
    autocomplete_fields = ["organization", "municipality", "school"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Личные данные"), {"fields": ("last_name", "first_name", "middle_name", "position", "email")}),
        (
            _("Роль и область видимости"),
            {"fields": ("role", "region", "organization", "municipality", "school")},
        ),
        (
            _("Права"),
            {"fields": ("is_active", "is_staff", "is_superuser", "is_demo", "groups", "user_permissions")},
        ),
        (_("Даты"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            _("Роль и область видимости"),
            {"fields": ("role", "region", "organization", "municipality", "school", "email")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region_q(request.user, "region"))

    @admin.display(description=_("ФИО"))
    def full_name(self, obj: User) -> str:
        return obj.full_name
