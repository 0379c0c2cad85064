from django.urls import path

from xinyong.records import views

app_name = "records"

urlpatterns = [
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/withdraw/", views.record_withdraw, name="withdraw"),
]
