from django.urls import path

from xinyong.oversight import views

app_name = "shuju"

urlpatterns = [
    path("", views.public_figures, name="figures"),
    path("figures.csv", views.public_figures_csv, name="figures_csv"),
]
