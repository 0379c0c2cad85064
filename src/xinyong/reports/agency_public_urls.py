"""Public pages of the credit service agencies (no login): the 名录 and the verification
of a report an agency filed."""

from django.urls import path

from xinyong.reports import agency_views

app_name = "agencies"

urlpatterns = [
    path("", agency_views.directory, name="directory"),
    path("verify/", agency_views.verify_filing, name="verify"),
]
