from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views
from portal.forms import PortalAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("profile/", views.profile, name="profile"),
    path("search/", views.search_page, name="search"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
    path("delivery/", views.delivery, name="delivery"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=PortalAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("municipalities.urls")),
    path("", include("meetings.urls")),
    path("", include("assessments.urls")),
    path("", include("roadmaps.urls")),
    path("", include("mechanisms.urls")),
    path("", include("surveys.urls")),
    path("api/v1/", include(("portal.api", "api"))),
    path("admin/", admin.site.urls),
]
