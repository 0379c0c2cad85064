from django.urls import path

from xinyong.oversight import views

app_name = "tongbao"

urlpatterns = [
    path("", views.public_report_list, name="list"),
    path("<month:month>/", views.public_report_detail, name="detail"),
    path("<month:month>.pdf", views.public_report_pdf, name="pdf"),
]
