"""`xinyong createsuperuser`: Django's, with the password validators also in `--noinput`.

Django checks AUTH_PASSWORD_VALIDATORS only when it asks for the password;
with `--noinput` and `DJANGO_SUPERUSER_PASSWORD` it takes any password. Here
that password is checked too. (This app comes before `django.contrib.auth`
in INSTALLED_APPS, so this command is the one `xinyong` runs.)
"""

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from xinyong.orgs.models import User


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options.get("interactive") and password is not None:
            username = options.get(User.USERNAME_FIELD) or os.environ.get(
                "DJANGO_SUPERUSER_" + User.USERNAME_FIELD.upper(), ""
            )
            try:
                validate_password(password, User(username=username))
            except ValidationError as exc:
                raise CommandError("密码不符合要求：" + "".join(exc.messages)) from exc
        super().handle(*args, **options)
