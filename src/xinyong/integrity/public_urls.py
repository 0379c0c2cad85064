"""The portal's 政府违约失信投诉 form and status page (mounted by xinyong/urls.py)."""

from django.urls import path

from xinyong.integrity import views

app_name = "integrity_public"

urlpatterns = [
    path("", views.complaint_file, name="complaint_file"),
    path("status/", views.complaint_status, name="complaint_status"),
]
