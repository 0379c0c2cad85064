"""The monthly 通报: generated (idempotent), published on the portal or taken down."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import AuditActor, audit_record
from xinyong.core.errors import ApplicationError
from xinyong.core.pdf import html_to_pdf
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.oversight import tongbao
from xinyong.oversight.audit_actions import REPORT_GENERATE, REPORT_PUBLISH, REPORT_UNPUBLISH
from xinyong.oversight.models import MonthlyFigures, MonthlyReport
from xinyong.oversight.periods import Month
from xinyong.oversight.scoring import scheme_current


def report_generate(
    *, month: Month, actor: AuditActor | None = None, force: bool = False
) -> MonthlyReport:
    """The month's 通报: figures of every department stored (the trend and the
    year's assessment read them), HTML and PDF rendered and kept. A second
    call returns the report already made unless `force` (then made again
    with today's data; its portal publication is kept).

    The figures are read and the PDF rendered (seconds) before the one short
    transaction that stores them: on SQLite a write transaction holds the
    database's only write lock, and other writers would wait out the PDF."""
    if month >= Month.of(clock.today()):
        raise ApplicationError(
            "month_not_over", _("%(m)s尚未结束，不能生成通报") % {"m": month.label}
        )
    existing = MonthlyReport.objects.filter(month=month.start).first()
    if existing is not None and not force:
        return existing
    scheme = scheme_current()
    content = tongbao.build(month, scheme)
    now = clock.now()
    html = render_to_string("oversight/tongbao.html", {"t": content, "generated_at": now})
    pdf = html_to_pdf(html)
    with transaction.atomic():
        existing = MonthlyReport.objects.select_for_update().filter(month=month.start).first()
        if existing is not None and not force:
            return existing  # another worker made it meanwhile
        for fig in content.figures:
            MonthlyFigures.objects.update_or_create(
                month=month.start,
                department_id=fig.department_id,
                defaults={
                    "values": {
                        code: {"numerator": t.numerator, "denominator": t.denominator}
                        for code, t in fig.tallies.items()
                    },
                    "score": fig.score,
                    "scheme_version": scheme.version,
                    "computed_at": now,
                },
            )
        report = existing or MonthlyReport(month=month.start)
        report.scheme_version = scheme.version
        report.html = html
        report.pdf = pdf
        report.summary = content.summary()
        report.generated_at = now
        report.save()
        audit_record(
            action=REPORT_GENERATE,
            actor=actor,
            obj=report,
            after={"month": str(month), "scheme_version": scheme.version, **report.summary},
        )
    return report


@transaction.atomic
def report_publish(*, actor: User, report: MonthlyReport, publish: bool) -> MonthlyReport:
    """Show the 通报 on the portal (open government), or take it down: the
    credit office's choice."""
    ensure_credit_office(actor)
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if publish == (locked.published_at is not None):
        raise ApplicationError(
            "no_change", _("该通报已在门户公开") if publish else _("该通报未在门户公开")
        )
    locked.published_at = clock.now() if publish else None
    locked.save(update_fields=["published_at"])
    audit_record(
        action=REPORT_PUBLISH if publish else REPORT_UNPUBLISH,
        actor=actor,
        obj=locked,
        after={"published_at": locked.published_at.isoformat() if locked.published_at else None},
    )
    return locked
