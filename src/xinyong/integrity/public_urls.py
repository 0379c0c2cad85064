"""The portal's 政府违约失信投诉 form (mounted by xinyong/urls.py)."""

from django.urls import path

from xinyong.integrity import views

app_name = "integrity_public"

urlpatterns = [
    path("", views.complaint_file, name="complaint_file"),
]
