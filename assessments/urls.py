from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("results/", views.results_home, name="home"),
    path("results/<int:pk>/", views.campaign_detail, name="campaign"),
    path("results/school/<int:pk>/", views.school_results, name="school"),
    path("results/flags/", views.flag_list, name="flags"),
    path("results/flags/<int:pk>/", views.flag_detail, name="flag"),
    path("results/flags/to-meeting/", views.flags_to_meeting, name="flags_to_meeting"),
    path("results/flags/thresholds/", views.flag_thresholds, name="flag_thresholds"),
    path("results/scales/", views.scales, name="scales"),
    path("results/olympiad/", views.olympiad, name="olympiad"),
    path("results/import/", views.import_new, name="import_new"),
    path("results/import/<int:pk>/", views.import_job, name="import_job"),
    path("results/import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("results/import/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("results/import/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
]
