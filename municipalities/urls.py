from django.urls import path

from municipalities import views
from municipalities.directory import views as directory

app_name = "municipalities"
urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/export.xlsx", views.school_export, name="school_export"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("directory/", directory.directory_import, name="directory"),
    path("directory/template.xlsx", directory.directory_template, name="directory_template"),
]
