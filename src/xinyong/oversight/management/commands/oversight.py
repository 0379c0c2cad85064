"""`xinyong oversight indicators --month YYYY-MM [--department CODE] [--json]`:
each department's indicators for the month (with --json one JSON object per
line); `xinyong oversight report --month YYYY-MM --out DIR`: the month's 通报
(HTML and PDF) generated now and written to DIR."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core.audit import command_actor
from xinyong.core.errors import ApplicationError
from xinyong.oversight import scoring
from xinyong.oversight.activity import department_activity
from xinyong.oversight.periods import Month
from xinyong.oversight.services.reports import report_generate


class Command(BaseCommand):
    help = "考核与通报：indicators 输出各部门月度指标；report 生成月度通报（HTML 和 PDF）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ind = sub.add_parser("indicators", help="各部门月度指标")
        ind.add_argument("--month", required=True, help="月份，YYYY-MM")
        ind.add_argument("--department", default="", help="部门简码；默认全部部门")
        ind.add_argument("--json", action="store_true", help="每个部门一行 JSON")
        rep = sub.add_parser("report", help="生成月度通报")
        rep.add_argument("--month", required=True, help="月份，YYYY-MM")
        rep.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = Month.parse(options["month"])
            if options["action"] == "indicators":
                self.indicators(month, options)
            else:
                self.report(month, Path(options["out"]))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def indicators(self, month: Month, options: dict[str, Any]) -> None:
        ids = None
        if options["department"]:
            ids = [scoring.department_by_code(options["department"]).pk]
        figures = scoring.compute_month(month, department_ids=ids)
        activity = department_activity(month, [f.department_id for f in figures])
        for fig in figures:
            line = scoring.figures_json(month, fig)
            # What the department's staff and tokens did, from the audit log.
            line["actions"] = dict(sorted(activity[fig.department_id].counts.items()))
            if options["json"]:
                self.stdout.write(json.dumps(line, ensure_ascii=False))
                continue
            score = "—" if fig.score is None else f"{fig.score:.1f}"
            self.stdout.write(
                _("%(d)s：报送 %(r)s 条（逾期 %(l)s），公示 %(p)s 条（按时 %(o)s），得分 %(s)s")
                % {
                    "d": fig.name,
                    "r": line["records_received"],
                    "l": line["records_late"],
                    "p": line["publications"],
                    "o": line["publications_on_time"],
                    "s": score,
                }
            )

    def report(self, month: Month, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        report = report_generate(month=month, actor=command_actor(), force=True)
        base = f"tongbao-{month}"
        (out / f"{base}.html").write_text(report.html, encoding="utf-8")
        (out / f"{base}.pdf").write_bytes(bytes(report.pdf))
        self.stdout.write(str(out / f"{base}.pdf"))
