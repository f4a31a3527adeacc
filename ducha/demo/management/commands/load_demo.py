"""`manage.py load_demo`: four scenes from the source reports, with a login for every role.

Run on a freshly migrated database (`make demo` does). Running it again changes nothing.
"""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ducha.accounts.models import User
from ducha.demo.cast import PASSWORD
from ducha.demo.loader import DemoConflict, is_loaded, load
from ducha.demo.logins import LOGINS, login_rows


class Command(BaseCommand):
    help = "Load the demo data set: Hebei, Chengdu Hi-tech Zone and Hui'an County."

    def handle(self, *args, **options) -> None:
        if is_loaded():
            self.stdout.write(_("The demo is already loaded; nothing was changed."))
            self._print_logins()
            return
        started = time.monotonic()
        try:
            loaded = load()
        except DemoConflict as conflict:
            raise CommandError(
                _(
                    "The database already holds some of the demo's regions or accounts "
                    "(%(names)s). Load the demo into a freshly migrated database."
                )
                % {"names": conflict}
            ) from None
        seconds = time.monotonic() - started
        scenes = ", ".join(f"{name} {count}" for name, count in loaded.problems.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo loaded in %(seconds).1f s: %(count)d problems (%(scenes)s).")
                % {"seconds": seconds, "count": sum(loaded.problems.values()), "scenes": scenes}
            )
        )
        if loaded.admin_kept:
            self.stdout.write(_("An account named “admin” existed already; it was left as it was."))
        self._print_logins()

    def _print_logins(self) -> None:
        rows = [(_("username"), _("role"), _("organisation")), *login_rows()]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        for username, role, org in rows:
            self.stdout.write(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {org}")
        others = User.objects.exclude(username__in=LOGINS).filter(username__contains=".")
        self.stdout.write("")
        self.stdout.write(
            _("Password for every demo account: %(password)s") % {"password": PASSWORD}
        )
        self.stdout.write(
            _(
                "%(count)d more accounts with the same password: every team leader "
                "(chengdu.team1…9, huian.joint1…6, huian.special1…5, hebei.<city>), the staff "
                "of every office (xingtai.office …) and the handler of every unit that "
                "received a problem, named after the unit (chengdu.sancha, huian.testing …). "
                "See docs/demo.md."
            )
            % {"count": others.count()}
        )


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
