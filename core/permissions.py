from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.audit import attribute_to


class PortalPermission(BasePermission):
    """Authenticated users only; observers may read but never write.

    What a user may see is decided by each queryset's ``for_user``; this class only
    guards the door and the verb.
    """

    message = "Недостаточно прав для этого действия."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        attribute_to(user)  # token-authenticated writes are audited under their user too
        return not user.is_read_only
