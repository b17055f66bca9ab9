"""The demo (`make run`, DEBUG on) shows the portal's own «Страница не найдена», never Django's English debug page."""

from django.conf import settings
from django.shortcuts import render


class DemoNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and settings.DEMO
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith("/api/")
        ):
            return render(request, "404.html", status=404)
        return response
