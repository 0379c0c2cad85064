from django.urls import path

from xinyong.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.outbox, name="home"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<id:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("inbound/", views.inbound, name="inbound"),
    path("files/", views.file_list, name="files"),
    path("files/<str:name>", views.file_download, name="file_download"),
]
