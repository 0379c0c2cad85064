"""Public pages of `reports` (no login): the verification page the QR code links to, and
the platform's public signing keys for offline checks."""

from django.urls import path

from xinyong.reports import views

app_name = "reports_public"

urlpatterns = [
    path("verify/<str:number>/", views.verify, name="verify"),
    path("public-keys.txt", views.public_keys, name="public_keys"),
]
