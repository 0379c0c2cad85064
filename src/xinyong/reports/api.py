"""Reports for credit service agencies (工作要点 三.5: 信易贷, tenders, honours).

`POST /reports` registers the report and queues its printing (202): the answer carries
its number, a status URL to poll and the PDF's download URL, which answers 409 until the
report is issued. The token must belong to a department registered as a credit service
agency (reports.Agency, in the admin) or to the credit office. Natural persons' reports
are not available here: only at the counter."""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from xinyong.core.errors import NotFoundError
from xinyong.core.schemas import ErrorOut
from xinyong.orgs.auth import DepartmentToken
from xinyong.orgs.http import TokenRequest
from xinyong.reports import selectors, services
from xinyong.reports.models import AgencyReport, Report
from xinyong.reports.schemas import AgencyReportIn, AgencyReportOut, ReportIn, ReportOut
from xinyong.reports.services.filings import read_upload
from xinyong.subjects.models import Subject

router = Router(tags=["信用报告"])


def _out(report: Report) -> dict[str, Any]:
    return {
        "number": report.number,
        "kind": report.kind,
        "status": report.status,
        "progress": report.progress,
        "subject": report.subject_label,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "sha256": report.content_hash,
        "status_url": reverse("api:report_status", args=[report.number]),
        "download_url": reverse("api:report_pdf", args=[report.number]),
        "verify_url": services.verify_url(report.number),
        "error": report.error,
    }


@router.post(
    "/reports",
    auth=DepartmentToken(),
    response={
        202: ReportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="申请信用报告",
    description=(
        "信用服务机构按统一社会信用代码申请法人和非法人组织公共信用信息报告或专项信用报告"
        "（1–5 年、可选领域）。报告在后台生成，返回报告编号、状态查询地址和 PDF 下载地址；"
        "每份报告登记申请机构和查询事由，主体可查知。自然人信用报告不通过接口出具。"
    ),
)
def create_report(request: TokenRequest, body: ReportIn) -> Status[ReportOut]:
    subject = Subject.objects.filter(
        uscc=body.subject.strip().upper(), pending_batch_id__isnull=True
    ).first()
    if subject is None or subject.kind == Subject.Kind.PERSON:
        raise NotFoundError("not_found", _("未找到该统一社会信用代码的信用主体"))
    report = services.report_request(
        actor=request.auth,
        subject=subject,
        kind=body.kind,
        purpose=body.purpose,
        channel=Report.Channel.API,
        years=body.years,
        areas=body.areas,
        request=request,
    )
    return Status(202, ReportOut(**_out(report)))


@router.get(
    "/reports/{number}",
    auth=DepartmentToken(),
    response={200: ReportOut, 401: ErrorOut, 404: ErrorOut},
    url_name="report_status",
    summary="信用报告状态",
)
def report_status(request: TokenRequest, number: str) -> dict[str, Any]:
    return _out(selectors.report_get_for_token(request.auth, number))


@router.get(
    "/reports/{number}/pdf",
    auth=DepartmentToken(),
    response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    url_name="report_pdf",
    summary="下载信用报告 PDF",
    description="出具后返回带平台签名的 PDF；尚未出具时返回 409。每次下载均留痕。",
)
def report_pdf(request: TokenRequest, number: str) -> HttpResponse:
    report = selectors.report_get_for_token(request.auth, number)
    data = services.report_read(actor=request.auth, report=report, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


# -- credit reports issued by agencies, filed with the credit office (信用报告备案) ----------


def _filing_out(filing: AgencyReport) -> AgencyReportOut:
    return AgencyReportOut(
        id=filing.pk,
        number=filing.number,
        status=filing.status,
        status_label=filing.get_status_display(),
        subject_uscc=filing.subject_uscc,
        subject_name=filing.subject_name,
        kind=filing.kind,
        grade=filing.grade,
        issued_on=filing.issued_on,
        valid_until=filing.valid_until,
        purpose=filing.purpose,
        sha256=filing.file_sha256,
        due_on=filing.due_on,
        filed_on=filing.filed_on,
        reason=filing.reason,
    )


@router.post(
    "/agency-reports",
    auth=DepartmentToken(),
    response={
        201: AgencyReportOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="提交信用报告备案",
    description=(
        "已备案的信用服务机构提交其为组织出具、用于招标投标、政府采购、行政审批、评优评先等"
        "的信用报告（multipart/form-data：各字段与 PDF 文件 file，不超过 10 MB）。"
        "信用办在 5 个工作日内审核；状态可按返回的 id 查询。暂停或注销的机构不能提交。"
    ),
)
def create_agency_report(
    request: TokenRequest, data: Form[AgencyReportIn], file: File[UploadedFile]
) -> Status[AgencyReportOut]:
    filing = services.agency_report_submit(
        actor=request.auth,
        number=data.number,
        subject_uscc=data.subject_uscc,
        subject_name=data.subject_name,
        kind=data.kind,
        grade=data.grade,
        issued_on=data.issued_on,
        valid_until=data.valid_until,
        purpose=data.purpose,
        pdf=read_upload(file),
        request=request,
    )
    return Status(201, _filing_out(filing))


@router.get(
    "/agency-reports/{filing_id}",
    auth=DepartmentToken(),
    response={200: AgencyReportOut, 401: ErrorOut, 404: ErrorOut},
    summary="信用报告备案状态",
    description="仅能查询本机构提交的备案；其他机构的备案返回 404。",
)
def agency_report_status(request: TokenRequest, filing_id: int) -> AgencyReportOut:
    return _filing_out(selectors.filing_get_for_token(request.auth, filing_id))
