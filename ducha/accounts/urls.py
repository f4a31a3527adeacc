from django.contrib.auth import views as auth_views
from django.urls import path

from ducha.accounts import twofactor_views, views

urlpatterns = [
    # The login (in two steps when a second factor is due) and the second factor's pages.
    *twofactor_views.urlpatterns,
    # Django's LogoutView answers POST only, so a link or prefetch cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.change_password, name="password_change"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
]
