from django.urls import path

from xinyong.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/file.<str:fmt>", views.report_file, name="file"),
]
