from django.urls import path

from xinyong.records import views

app_name = "records"

urlpatterns = [
    path("<id:pk>/", views.record_detail, name="detail"),
    path("<id:pk>/withdraw/", views.record_withdraw, name="withdraw"),
]
