from django.urls import path
from django.views.generic import RedirectView

from xinyong.subjects import views

app_name = "subjects"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="subjects:conflict_list"), name="index"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("conflicts/<id:pk>/resolve/", views.conflict_resolve, name="conflict_resolve"),
    path("quality/", views.quality, name="quality"),
    path("<id:pk>/", views.subject_detail, name="subject_detail"),
]
