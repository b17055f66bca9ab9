from django.urls import path

from mechanisms import views

app_name = "mechanisms"
urlpatterns = [
    path("mechanisms/", views.matrix, name="matrix"),
    path("mechanisms/municipalities/<int:pk>/", views.card, name="card"),
    path("mechanisms/municipalities/<int:pk>/documents/<int:required_pk>/", views.submit, name="submit"),
    path("mechanisms/documents/<int:pk>/file/", views.document_file, name="file"),
    path("mechanisms/documents/<int:pk>/<slug:action>/", views.document_action, name="action"),
    path("mechanisms/decisions/<int:pk>/link/", views.decision_link, name="decision_link"),
]
