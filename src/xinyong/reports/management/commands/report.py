"""Credit reports from the shell.

- `xinyong report SUBJECT --out FILE.pdf [--kind general|special] [--years N]
  [--area CODE …] [--purpose TEXT]`: SUBJECT is a USCC; the report is printed and
  signed here (inline, no worker needed), registered and audited as 命令行 and the OS
  account; the last line is `number=… sha256=…`.
- `xinyong report verify FILE.pdf [--public-key KEYS.txt]`: offline (no database): prints
  有效 or 无效 with the report's number and subject; exit status 0 or 1. Without
  --public-key the platform's own keys are used (`XINYONG_SIGNING_KEY` or the data
  directory); a machine without them uses the public keys published at
  /reports/public-keys.txt or printed by `xinyong report public-keys`.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError
from xinyong.reports.models import Report
from xinyong.reports.signing import (
    SigningKeyError,
    public_keys_from_text,
    public_keys_text,
    verify_file,
)


class Command(BaseCommand):
    help = "信用报告：xinyong report USCC --out FILE.pdf；xinyong report verify FILE.pdf"
    # `verify` must work without a database: no system checks, no migration check.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="+", help="USCC，或 verify FILE.pdf，或 public-keys")
        parser.add_argument("--out", default="", help="输出的 PDF 文件")
        parser.add_argument(
            "--kind", choices=["general", "special"], default="general", help="报告类型"
        )
        parser.add_argument("--years", type=int, default=None, help="专项信用报告的年限（1–5）")
        parser.add_argument(
            "--area", action="append", default=[], help="专项报告的领域（部门简码）"
        )
        parser.add_argument("--purpose", default="命令行出具", help="查询事由")
        parser.add_argument("--public-key", default="", help="校验时使用的公钥文件")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"]
        if target[0] == "verify":
            if len(target) != 2:
                raise CommandError(_("用法：xinyong report verify FILE.pdf"))
            self.verify(Path(target[1]), options["public_key"])
            return
        if target == ["public-keys"]:
            self.stdout.write(public_keys_text(), ending="")
            return
        if len(target) != 1:
            raise CommandError(_("一次出具一份报告：xinyong report USCC --out FILE.pdf"))
        self.issue(target[0], options)

    def verify(self, path: Path, public_key: str) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("无法读取文件：%(e)s") % {"e": error}) from error
        try:
            keys = public_keys_from_text(Path(public_key).read_text()) if public_key else None
            verdict = verify_file(data, keys=keys)
        except (OSError, SigningKeyError) as error:
            raise CommandError(str(error)) from error
        facts = _("报告编号：%(number)s  主体：%(subject)s  出具日期：%(issued)s") % {
            "number": verdict.number or "—",
            "subject": verdict.subject or "—",
            "issued": verdict.issued or "—",
        }
        if verdict.valid:
            self.stdout.write(f"{_('有效')}  {facts}")
            return
        self.stdout.write(f"{_('无效')}  {facts}  {_('原因')}：{verdict.reason}")
        raise SystemExit(1)

    def issue(self, code: str, options: dict[str, Any]) -> None:
        from xinyong.reports import services
        from xinyong.subjects.models import Subject

        if not options["out"]:
            raise CommandError(_("请用 --out 指定输出文件"))
        subject = Subject.objects.filter(
            uscc=code.strip().upper(), pending_batch_id__isnull=True
        ).first()
        if subject is None:
            raise CommandError(_("未找到统一社会信用代码为 %(c)s 的信用主体") % {"c": code})
        try:
            report = services.report_request(
                actor=None,
                subject=subject,
                kind=options["kind"],
                purpose=options["purpose"],
                channel=Report.Channel.CLI,
                years=options["years"],
                areas=options["area"],
                enqueue=False,
            )
            report = services.report_generate(report_id=report.pk) or report
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if report.status != Report.Status.ISSUED:
            raise CommandError(report.error or report.get_status_display())
        from xinyong.reports.storage import read_pdf

        Path(options["out"]).write_bytes(read_pdf(report.number))
        self.stdout.write(
            _("已出具 %(kind)s：%(subject)s → %(out)s")
            % {
                "kind": report.get_kind_display(),
                "subject": report.subject_label,
                "out": options["out"],
            }
        )
        self.stdout.write(f"number={report.number} sha256={report.content_hash}")
