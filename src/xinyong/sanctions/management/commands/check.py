"""`xinyong check QUERY [--domain CODE] [--json]`: 联合奖惩核查 from the shell.

The name is Django's system check too: `xinyong check` without a query, with
app labels, or with its options (`--deploy`, `--tag`, …) runs Django's
check as before; a QUERY that is not an app label is a 联合奖惩核查.

QUERY is a USCC, a legacy code, a resident ID number or a full name. The
output explains each hit and ends with one line `hits=N`; with --json, one
JSON object {"check_id", "query", "hits": [...]} comes before that line.
The check is logged and audited as 命令行 and the OS account.
"""

import json
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils.translation import gettext as _

from xinyong.core.audit import command_actor
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import Department
from xinyong.sanctions.matching import parse_text
from xinyong.sanctions.models import Check
from xinyong.sanctions.services.checks import check_run


class Command(SystemCheckCommand):
    help = (
        "联合奖惩核查：xinyong check QUERY（代码、身份证号码或完整名称），最后一行为 hits=N；"
        "不带 QUERY 时为 Django 的系统检查"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)  # Django's: app labels (QUERY here), --deploy, --tag, …
        parser.add_argument("--domain", default=None, help="领域代码，如 ZFCG；默认列出各领域措施")
        parser.add_argument("--matter", default="", help="办理事项")
        parser.add_argument("--department", default="", help="以该部门（简码）名义核查")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        system = (
            not args
            or options["deploy"]
            or options["tags"]
            or options["list_tags"]
            or options["databases"]
            or all(label in {c.label for c in apps.get_app_configs()} for label in args)
        )
        if system:
            super().handle(*args, **options)
            return
        if len(args) != 1:
            raise CommandError(_("一次核查一个对象：xinyong check QUERY [--domain CODE] [--json]"))
        self.check_query(args[0], options)

    def check_query(self, text: str, options: dict[str, Any]) -> None:
        department = None
        if options["department"]:
            department = Department.objects.filter(short_code=options["department"]).first()
            if department is None:
                raise CommandError(
                    _("没有简码为“%(code)s”的部门") % {"code": options["department"]}
                )
        try:
            outcome = check_run(
                actor=command_actor(),
                department=department,
                domain_code=options["domain"],
                matter=options["matter"],
                query=parse_text(text),
                channel=Check.Channel.CLI,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            body = outcome.as_dict()
            self.stdout.write(
                json.dumps(
                    {"check_id": body["check_id"], "query": body["query"], "hits": body["hits"],
                     "problems": body["problems"]},
                    ensure_ascii=False,
                )
            )  # fmt: skip
        else:
            self._explain(outcome.as_dict())
        self.stdout.write(f"hits={len(outcome.hits)}")

    def _explain(self, body: dict[str, Any]) -> None:
        write = self.stdout.write
        write(f"核查编号 {body['check_id']}：{body['query']}（领域 {body['domain'] or '全部'}）")
        for problem in body["problems"]:
            write(f"  代码问题：{problem['message']}")
        if not body["subjects"]:
            write("  平台中未找到该主体（名称须为完整名称，片段不匹配）")
        for hit in body["hits"]:
            entry, listing, by = hit["entry"], hit["list"], hit["matched_by"]
            review = f" 【{hit['review_label']}】" if hit["review_label"] else ""
            write(
                f"- {hit['subject']['name']} 列入 {listing['name']}（{listing['kind_label']}）{review}"
            )
            write(f"  匹配：{by['label']}　查询值 {by['query_value']}　登记值 {by['entry_value']}")
            write(
                f"  决定机关 {entry['decider']}　文号 {entry['document_number']}　"
                f"列入日期 {entry['listed_on'] or '—'}　有效期至 {entry['valid_until_text']}"
            )
            write(f"  移出条件：{entry['removal_conditions'] or '—'}")
            for m in hit["measures"]:
                write(
                    f"  措施［{m['domain']}·{m['force_label']}］{m['content']}；依据 {m['legal_basis']}；实施单位 {m['implementing_body']}"
                )
            for m in hit["rewards"]:
                write(f"  激励［{m['domain']}］{m['content']}；实施单位 {m['implementing_body']}")
            for r in hit["serious_records"]:
                write(
                    f"  严重失信记录：{r['item']} {r['doc_number']}（{r['decision_date']}，公示至 {r['disclosure_end'] or '—'}）"
                )
            write(f"  异议：{hit['status']['objection']}　信用修复：{hit['status']['repair']}")
