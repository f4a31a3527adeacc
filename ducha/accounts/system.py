"""The system's own account: the actor of what Ducha does by itself (the escalation ladder).

Every event names an actor, and a reminder nobody sent by hand must not be put in a person's
name. This account is created the first time it is needed (a new database holds no account at
all), is inactive, has no usable password and no role: nobody can log in as it, no token can
be issued to it, and it reaches no row (grants are only read for active users).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from ducha.accounts.models import User

# Not a name the sign-up and admin forms accept (":" is refused by the username validator),
# so no person's account can ever be mistaken for it.
SYSTEM_USERNAME = "ducha:system"
# Stored data, like every name; the timeline shows it as the actor.
SYSTEM_NAME = "督查督办系统"


def system_user() -> User:
    """The system account, created on first use; always inactive without a password."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"name": SYSTEM_NAME, "is_active": False, "password": make_password(None)},
    )
    if not created and (user.is_active or user.has_usable_password() or user.is_staff):
        # Someone switched it on in the admin site: it stays the system's, never a login.
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "is_staff", "is_superuser", "password"])
    return user


def is_system_user(user: object) -> bool:
    return getattr(user, "username", None) == SYSTEM_USERNAME
