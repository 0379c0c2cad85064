"""Notices to departments and the credit office (issue 14 §8): each is a row
shown on the staff home and an email to the recipients' users that have an
address (Django's email backend; the console unless configured), plus an
outside address where one is given (an applicant who left an email).

Call `notice_send` inside the transaction of the change it announces: the
row commits or rolls back with it, and the emails go only after the commit.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet

from xinyong.core.audit import AuditActor, audit_record
from xinyong.orgs.audit_actions import NOTICE_SEND
from xinyong.orgs.models import Department, Notice, User


def _recipients(department: Department | None) -> list[str]:
    users = User.objects.filter(is_active=True).exclude(email="")
    if department is None:
        users = users.filter(Q(role=User.Role.CREDIT_ADMIN) | Q(is_superuser=True))
    else:
        users = users.filter(department=department)
    return sorted(set(users.values_list("email", flat=True)))


def notice_send(
    *,
    department: Department | None,
    title: str,
    body: str = "",
    link: str = "",
    email_to: str = "",
    actor: AuditActor | None = None,
) -> Notice:
    """Tell a department (None: the credit office). Atomic with the caller's
    transaction; the emails leave after the commit."""
    addresses = _recipients(department) + ([email_to] if email_to else [])
    notice = Notice.objects.create(
        department=department,
        title=title[:200],
        body=body,
        link=link[:300],
        email_to=email_to,
        emailed=len(addresses),
    )
    audit_record(
        action=NOTICE_SEND,
        actor=actor,
        obj=notice,
        after={"to": department and department.short_code},
    )
    if addresses:
        text = f"{body}\n\n{link}".strip()
        messages = [(title, text, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return notice


def notices_for(user: User) -> QuerySet[Notice]:
    """The notices addressed to the user's department, or to the credit office."""
    if user.is_credit_office:
        return Notice.objects.filter(department__isnull=True)
    return Notice.objects.filter(department_id=user.department_id or 0)
