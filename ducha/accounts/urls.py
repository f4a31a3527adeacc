from django.contrib.auth import views as auth_views
from django.urls import path

from ducha.accounts import security_views, twofactor_views, views

urlpatterns = [
    # The login (in two steps when a second factor is due) and the second factor's pages.
    *twofactor_views.urlpatterns,
    # Django's LogoutView answers POST only, so a link or prefetch cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.change_password, name="password_change"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    # The security administrator's console (三员: 安全管理员).
    path("security/", security_views.accounts, name="security_accounts"),
    path("security/accounts/<int:pk>/", security_views.account, name="security_account"),
    path("security/accounts/<int:pk>/unlock/", security_views.unlock, name="security_unlock"),
    path(
        "security/tokens/<int:pk>/revoke/",
        security_views.revoke_token,
        name="security_revoke_token",
    ),
    path("security/policies/", security_views.policies, name="security_policies"),
]
