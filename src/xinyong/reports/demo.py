"""Demo reports: one general report, issued at the counter by the credit office for a
listed company with public penalties, printed and signed here (no worker needed), so the
register, the download and the public verification page have something to show. A demo
credit service agency is registered for the API."""

from django.core.management.base import OutputWrapper
from django.db.models import Count

from xinyong.lists.models import ListEntry
from xinyong.orgs.models import Department, User
from xinyong.records.models import Record
from xinyong.reports import services
from xinyong.reports.models import Agency, Report
from xinyong.subjects.models import Subject


def _subject() -> Subject | None:
    """A company with the most public records, preferably one on a list."""
    public = Record.objects.publicly_visible().values("subject_id")
    companies = Subject.objects.filter(
        kind=Subject.Kind.LEGAL, uscc__isnull=False, pending_batch_id__isnull=True, pk__in=public
    )
    listed = companies.filter(pk__in=ListEntry.objects.values("subject_id"))
    return (
        listed.annotate(n=Count("records")).order_by("-n", "id").first()
        or companies.annotate(n=Count("records")).order_by("-n", "id").first()
    )


def _agency() -> None:
    department, _created = Department.objects.get_or_create(
        short_code="xyfw-demo",
        defaults={
            "name": "神农架某信用服务有限公司（演示）",
            "kind": Department.Kind.PUBLIC_SERVICE,
        },
    )
    Agency.objects.get_or_create(department=department, defaults={"note": "演示信用服务机构"})


def load(*, seed: int, stdout: OutputWrapper) -> None:
    _agency()
    if Report.objects.exists():
        stdout.write("信用报告演示数据已存在，跳过。")
        return
    subject = _subject()
    staff = User.objects.filter(role=User.Role.CREDIT_ADMIN).order_by("id").first()
    if subject is None or staff is None:
        stdout.write("信用报告演示数据：没有可出具报告的企业，跳过。")
        return
    report = services.report_request(
        actor=staff,
        subject=subject,
        kind=Report.Kind.GENERAL,
        purpose="信易贷授信审查（演示）",
        channel=Report.Channel.COUNTER,
        enqueue=False,
    )
    report = services.report_generate(report_id=report.pk) or report
    stdout.write(
        f"信用报告演示数据：{report.number}（{report.subject_label}，{report.get_status_display()}）。"
    )
