"""Questionnaires and surveys in the admin: read here, written through the pages and the API (their services
parse the questions, send notices and keep the form key)."""

from django.contrib import admin

from core.admin import ScopedAdminMixin
from surveys.models import Question, Questionnaire, Survey, SurveyResponse


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Question
    fields = ["order", "section", "text", "kind", "choices", "required"]
    readonly_fields = fields


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner_organization", "owner_municipality", "created_at"]
    search_fields = ["title"]
    inlines = [QuestionInline]


class SurveyResponseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SurveyResponse
    fields = ["school", "status", "reopened", "submitted_at"]
    readonly_fields = fields


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["questionnaire", "due_date", "sender_organization", "sender_municipality", "created_at"]
    list_filter = ["due_date"]
    inlines = [SurveyResponseInline]
