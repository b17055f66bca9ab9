from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilterQuerySet(models.QuerySet):
    def for_user(self, user) -> "SavedFilterQuerySet":
        return self.filter(user=user) if user.is_authenticated else self.none()


class SavedFilter(models.Model):
    """A person's named set of control-board filters, kept as the board's query string."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.CASCADE,
        related_name="saved_filters",
    )  # fmt: skip
    name = models.CharField(_("название"), max_length=100)
    query = models.CharField(_("условия отбора"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        verbose_name = _("сохранённый фильтр")
        verbose_name_plural = _("сохранённые фильтры")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="saved_filter_unique_name",
                violation_error_message=_("Фильтр с таким названием у вас уже есть."),
            )
        ]

    def __str__(self) -> str:
        return self.name
