from django.contrib.auth import views as auth_views
from django.urls import path

from shangliang.accounts import (
    register_views,
    role_views,
    totp_views,
    unit_user_views,
    user_views,
    views,
)

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_otp, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", register_views.register, name="register"),
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
    # an organisation's roles (orgs.configure)
    path("orgs/<int:org_id>/roles/", role_views.org_roles, name="org_roles"),
    path("orgs/<int:org_id>/roles/grant/", role_views.org_role_grant, name="org_role_grant"),
    path("orgs/<int:org_id>/roles/new/", role_views.org_role_create, name="org_role_create"),
    path(
        "orgs/<int:org_id>/roles/<int:role_id>/revoke/",
        role_views.org_role_revoke,
        name="org_role_revoke",
    ),
    path("orgs/<int:org_id>/roles/export/", role_views.org_roles_export, name="org_roles_export"),
    # a handling unit's users (orgs.manage_roster)
    path("units/<int:unit_id>/users/", unit_user_views.unit_users, name="unit_users"),
    path("units/<int:unit_id>/users/add/", unit_user_views.unit_user_add, name="unit_user_add"),
    path(
        "units/<int:unit_id>/users/new/", unit_user_views.unit_user_create, name="unit_user_create"
    ),
    path(
        "units/<int:unit_id>/users/<int:link_id>/manager/",
        unit_user_views.unit_user_manager,
        name="unit_user_manager",
    ),
    path(
        "units/<int:unit_id>/users/<int:link_id>/remove/",
        unit_user_views.unit_user_remove,
        name="unit_user_remove",
    ),
]
