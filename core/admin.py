"""Admin mixins every app's admin shares."""


class ScopedAdminMixin:
    """Admin lists obey the same ``for_user`` rule as every page and API endpoint."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
