from django.urls import path

from xinyong.ingest import views

app_name = "ingest"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("upload/", views.upload, name="upload"),
    path("late/", views.late_records, name="late_records"),
    path("batches/<id:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<id:pk>/errors.xlsx", views.batch_errors, name="batch_errors"),
    path("batches/<id:pk>/original", views.batch_original, name="batch_original"),
    path("items/<slug:code>/template.xlsx", views.item_template, name="template"),
]
