"""The history of any object in the API: its status events in one shape, as the pages show them."""

from rest_framework import serializers


class StatusEventOutputSerializer(serializers.ModelSerializer):
    """One line of a history (``core.status.StatusEvent``): what happened, from → to (equal when the status
    stayed; blank when not known), who, when, comment and details. Subclasses name the model in ``Meta``."""

    title = serializers.CharField(read_only=True, help_text="Что произошло, как в истории на странице")
    actor = serializers.CharField(source="actor.short_name", read_only=True)

    class Meta:
        fields = ["title", "from_status", "to_status", "actor", "created_at", "comment", "data"]
