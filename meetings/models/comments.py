from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.obligations import Obligation


class ObligationCommentQuerySet(models.QuerySet):
    def for_user(self, user) -> "ObligationCommentQuerySet":
        return self.filter(obligation__in=Obligation.objects.for_user(user))


class ObligationComment(models.Model):
    """A message in the thread between an obligation's executor and its controller, with files."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("комментарий"))
    created_at = models.DateTimeField(_("когда"), default=timezone.now)

    objects = ObligationCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("комментарий к поручению")
        verbose_name_plural = _("комментарии к поручениям")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Комментарий от {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


class ObligationCommentFile(models.Model):
    """A file attached to a comment, stored privately and served only to those who may see the obligation."""

    comment = models.ForeignKey(ObligationComment, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("файл"), upload_to="comments/", max_length=200)
    name = models.CharField(_("имя файла"), max_length=200)
    size = models.PositiveBigIntegerField(_("размер"))
    content_type = models.CharField(_("тип"), max_length=120)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("файл комментария")
        verbose_name_plural = _("файлы комментариев")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:comment_file", args=[self.pk])
