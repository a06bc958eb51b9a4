from django.contrib.auth import views as auth_views
from django.urls import path

from shangliang.accounts import totp_views, user_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("me/", views.profile, name="profile"),
    path("totp/", totp_views.totp, name="totp"),
    path("totp/disable/", totp_views.totp_disable, name="totp_disable"),
    path("users/<int:user_id>/", user_views.user_account, name="user_account"),
    path(
        "users/<int:user_id>/password/",
        user_views.user_password_reset,
        name="user_password_reset",
    ),
    path("users/<int:user_id>/unlock/", user_views.user_unlock, name="user_unlock"),
    path("users/<int:user_id>/active/", user_views.user_set_active, name="user_set_active"),
    path("users/<int:user_id>/totp-reset/", user_views.user_totp_reset, name="user_totp_reset"),
]
