from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/remind/", views.survey_remind, name="survey_remind"),
    path("surveys/responses/<int:pk>/", views.survey_response, name="survey_response"),
    path("surveys/responses/<int:pk>/reopen/", views.survey_reopen, name="survey_reopen"),
    path("surveys/responses/<int:pk>/files/<int:question_pk>/", views.answer_file, name="answer_file"),
]
