from django.contrib.auth import views as auth_views
from django.urls import path

from xinyong.orgs import views

app_name = "orgs"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="orgs/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.staff_home, name="staff_home"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<slug:short_code>/", views.department_detail, name="department_detail"),
    path("departments/<slug:short_code>/tokens/", views.token_create, name="token_create"),
    path(
        "departments/<slug:short_code>/tokens/<id:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
]
