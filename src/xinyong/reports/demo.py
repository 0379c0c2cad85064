"""Demo reports: one general report, issued at the counter by the credit office for a
listed company with public penalties, printed and signed here (no worker needed), so the
register, the download and the public verification page have something to show. Three
credit service agencies (two filed, one suspended) with reports filed, one awaiting review
and one returned."""

import datetime as dt

from django.core.management.base import OutputWrapper
from django.db.models import Count

from xinyong.core import clock
from xinyong.core.identifiers.uscc import uscc_with_checks
from xinyong.lists.models import ListEntry
from xinyong.orgs.demo import DEMO_PASSWORD
from xinyong.orgs.models import User
from xinyong.records.models import Record
from xinyong.reports import services
from xinyong.reports.models import Agency, AgencyReport, Report
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


# (name, USCC (check characters recomputed), services, demo user) of the demo agencies.
DEMO_AGENCIES = [
    ("神农架诚信信用服务有限公司（演示）", "91429021MA49A0001D", ["report", "rating"], "xyfw_a"),
    ("湖北楚信信用评级有限公司（演示）", "91420100MA49B0002C", ["rating", "consulting"], "xyfw_b"),
    ("林区某信用管理咨询有限公司（演示）", "91429021MA49C0003X", ["consulting"], ""),
]


def _demo_uscc(code: str) -> str:
    """The demo USCCs above with their check characters recomputed (GB 32100-2015)."""
    return uscc_with_checks(code[:16])


def _agencies(staff: User) -> list[Agency]:
    """Three agencies: two filed with a user each, the third suspended."""
    found = []
    for name, code, kinds, username in DEMO_AGENCIES:
        uscc = _demo_uscc(code)
        agency = Agency.objects.filter(uscc=uscc).first() or services.agency_register(
            actor=staff,
            name=name,
            uscc=uscc,
            address="湖北省神农架林区松柏镇（演示）",
            services=kinds,
            business_scope="信用报告、信用评级、信用管理咨询（演示）",
            contact_phone="0719-3330000",
        )
        if username and not User.objects.filter(username=username).exists():
            user = User(
                username=username,
                display_name=f"{name[:6]}报送员",
                role=User.Role.CLERK,
                department=agency.department,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        found.append(agency)
    if found[2].status == Agency.Status.FILED:
        services.agency_suspend(
            actor=staff, agency=found[2], reason="年度检查材料未按期报送（演示）"
        )
    return found


def _filings(staff: User, agencies: list[Agency]) -> int:
    """Some filed reports, one awaiting review, one returned: on companies of the register
    (one of them listed, to show the reviewer's warning)."""
    if AgencyReport.objects.exists():
        return 0
    companies = list(
        Subject.objects.filter(
            kind=Subject.Kind.LEGAL, uscc__isnull=False, pending_batch_id__isnull=True
        ).order_by("id")[:4]
    )
    listed = _subject()
    if listed is not None and listed not in companies:
        companies.append(listed)
    if not companies:
        return 0
    users = {a.pk: User.objects.filter(department=a.department).first() for a in agencies[:2]}
    today = clock.today()
    pdf = b"%PDF-1.4\n% demo credit report\n%%EOF\n"
    plan = [
        # (agency index, company index, kind, grade, purpose, outcome)
        (0, 0, "comprehensive", "", "bidding", "file"),
        (0, 1, "rating", "AA", "procurement", "file"),
        (1, 2 % len(companies), "rating", "AAA", "honours", "file"),
        (1, 3 % len(companies), "special", "", "approval", "return"),
        (0, len(companies) - 1, "rating", "AAA", "bidding", ""),  # awaiting review
    ]
    made = 0
    for n, (a, c, kind, grade, purpose, outcome) in enumerate(plan, start=1):
        actor = users[agencies[a].pk]
        if actor is None:
            continue
        subject = companies[c]
        issued = today - dt.timedelta(days=10 * n)
        filing = services.agency_report_submit(
            actor=actor,
            number=f"DEMO-{today.year}-{n:03d}",
            subject_uscc=subject.uscc or "",
            subject_name=subject.name,
            kind=kind,
            grade=grade,
            issued_on=issued,
            valid_until=issued + dt.timedelta(days=364),
            purpose=purpose,
            pdf=pdf + str(n).encode(),
        )
        if outcome == "file":
            services.agency_report_file(actor=staff, filing=filing)
        elif outcome == "return":
            services.agency_report_return(
                actor=staff, filing=filing, reason="报告未附主体授权书（演示）"
            )
        made += 1
    return made


def load(*, seed: int, stdout: OutputWrapper) -> None:
    staff = User.objects.filter(role=User.Role.CREDIT_ADMIN).order_by("id").first()
    if staff is not None:
        agencies = _agencies(staff)
        made = _filings(staff, agencies)
        stdout.write(
            f"信用服务机构演示数据：{len(agencies)} 家机构（演示登录 xyfw_a、xyfw_b，"
            f"密码 {DEMO_PASSWORD}），新提交报告备案 {made} 份。"
        )
    if Report.objects.exists():
        stdout.write("信用报告演示数据已存在，跳过。")
        return
    subject = _subject()
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
