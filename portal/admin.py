from django.contrib import admin

admin.site.site_header = "Портал контроля качества образования"
admin.site.site_title = "Администрирование портала"
admin.site.index_title = "Справочники и пользователи"


class ScopedAdminMixin:
    """Admin lists obey the same ``for_user`` rule as every page and API endpoint."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
