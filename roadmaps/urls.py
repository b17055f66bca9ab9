from django.urls import path

from roadmaps import views

app_name = "roadmaps"
urlpatterns = [
    path("roadmaps/", views.roadmap_list, name="list"),
    path("roadmaps/new/", views.roadmap_new, name="new"),
    path("roadmaps/requests/<int:pk>/", views.roadmap_request, name="request"),
    path("roadmaps/start/<int:obligation_pk>/", views.roadmap_start, name="start"),
    path("roadmaps/<int:pk>/", views.roadmap_detail, name="detail"),
    path("roadmaps/<int:pk>/edit/", views.roadmap_edit, name="edit"),
    path("roadmaps/<int:pk>/template/", views.roadmap_template, name="template"),
    path("roadmaps/<int:pk>/upload/", views.roadmap_upload, name="upload"),
    path("roadmaps/<int:pk>/files/", views.roadmap_files, name="files"),
    path("roadmaps/<int:pk>/progress/", views.roadmap_progress, name="progress"),
    path("roadmaps/<int:pk>/versions/<int:number>/", views.roadmap_version, name="version"),
    path("roadmaps/<int:pk>/<slug:action>/", views.roadmap_action, name="action"),
    path("roadmaps/files/<int:pk>/", views.roadmap_file, name="file"),
    path("roadmaps/files/<int:pk>/remove/", views.roadmap_file_remove, name="file_remove"),
]
