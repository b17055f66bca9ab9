from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/new/review/", views.meeting_review, name="meeting_review"),
    path("meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/plan/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/hold/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/sign/", views.meeting_sign, name="meeting_sign"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/pdf/<slug:kind>/", views.document_request, name="document_request"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("obligations/", views.obligation_list, name="obligation_list"),
    path("obligations/bulk/", views.board_bulk, name="board_bulk"),
    path("obligations/filters/", views.saved_filter_save, name="saved_filter_save"),
    path("obligations/filters/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("obligations/<int:pk>/card.pdf", views.obligation_card, name="obligation_card"),
    path("obligations/<int:pk>/<slug:action>/", views.obligation_action, name="obligation_action"),
    path("reports/files/<int:pk>/", views.report_file, name="report_file"),
    path("comments/files/<int:pk>/", views.comment_file, name="comment_file"),
    path("discipline/", views.discipline, name="discipline"),
]
