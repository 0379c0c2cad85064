"""`xinyong tokens`: a department's API tokens on the command line.

xinyong tokens create --department scjg --name 处罚系统 [--expires-days 365]
    makes a token; its secret is printed alone on the last line, for scripts:
    SECRET=$(xinyong tokens create --department scjg --name 处罚系统 | tail -n 1)
xinyong tokens list [--department scjg]
    lists tokens (prefix, department, use, created, expires, last used, state)
xinyong tokens revoke PREFIX
    revokes the token whose prefix is shown by `list` and on the department page

Whoever runs the command on the server acts: the audit rows name the OS
account (`core.audit.command_actor`).
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xinyong.core.audit import command_actor
from xinyong.core.errors import ApplicationError
from xinyong.orgs import selectors, services
from xinyong.orgs.models import ApiToken


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return f"已吊销 {_when(token.revoked_at)}"
    return "已过期" if token.is_expired else "有效"


class Command(BaseCommand):
    help = "部门接口令牌：create 创建（令牌单独打印在最后一行）、list 列出、revoke 吊销"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke}"
        )
        create = actions.add_parser(
            "create",
            help="为部门创建接口令牌；令牌只显示一次，单独打印在最后一行",
            description="为部门创建接口令牌；令牌只显示一次，单独打印在最后一行。",
        )
        create.add_argument("--department", required=True, help="部门简码，如 scjg")
        create.add_argument("--name", required=True, help="用途，如 行政处罚系统对接")
        create.add_argument(
            "--expires-days",
            type=int,
            default=services.TOKEN_LIFETIME_DAYS,
            help=f"有效天数（默认 {services.TOKEN_LIFETIME_DAYS}，"
            f"最多 {services.TOKEN_MAX_LIFETIME_DAYS}）",
        )
        listing = actions.add_parser(
            "list",
            help="列出接口令牌（不含令牌本身）",
            description="列出接口令牌（不含令牌本身）。",
        )
        listing.add_argument("--department", help="只列出该部门（简码）的令牌")
        revoke = actions.add_parser(
            "revoke", help="按前缀吊销接口令牌", description="按前缀吊销接口令牌。"
        )
        revoke.add_argument("prefix", help="令牌前缀（list 的第一列，或 xy_前缀_…）")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                self._create(options["department"], options["name"], options["expires_days"])
            elif action == "list":
                self._list(options.get("department"))
            else:
                self._revoke(options["prefix"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, short_code: str, name: str, expires_days: int) -> None:
        department = selectors.department_get(short_code)
        token, secret = services.api_token_create(
            actor=command_actor(), department=department, name=name, expires_days=expires_days
        )
        self.stdout.write(
            f"已为“{department.name}”创建令牌 {token.prefix}（{token.name}），"
            f"有效期至 {_when(token.expires_at)}。令牌只显示这一次："
        )
        self.stdout.write(secret)

    def _list(self, short_code: str | None) -> None:
        department = selectors.department_get(short_code) if short_code else None
        tokens = list(selectors.api_token_list(department))
        if not tokens:
            self.stdout.write("没有接口令牌。")
            return
        self.stdout.write("前缀\t部门\t用途\t创建\t到期\t最近使用\t状态")
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    (
                        token.prefix,
                        token.department.short_code,
                        token.name,
                        _when(token.created_at),
                        _when(token.expires_at),
                        _when(token.last_used_at),
                        _state(token),
                    )
                )
            )
        self.stdout.write(f"共 {len(tokens)} 个令牌。")

    def _revoke(self, prefix: str) -> None:
        token = selectors.api_token_get_by_prefix(prefix)
        if token.revoked_at is not None:
            self.stdout.write(
                f"令牌 {token.prefix} 已于 {_when(token.revoked_at)} 吊销，无需操作。"
            )
            return
        services.api_token_revoke(
            actor=command_actor(), department=token.department, token_id=token.pk
        )
        self.stdout.write(f"已吊销“{token.department.name}”的令牌 {token.prefix}（{token.name}）。")
