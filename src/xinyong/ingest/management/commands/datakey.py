"""`xinyong datakey`: the data key that encrypts resident IDs, rejected rows
and stored originals (docs/deploy.md).

xinyong datakey rotate     a new key; everything re-encrypted; the old key dropped
xinyong datakey generate   print a new key (for XINYONG_DATA_KEY)
xinyong datakey status     which keys are configured
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.core.audit import command_actor
from xinyong.core.crypto import DataKeyError, generate_key, key_file, keyring, reset_keyring
from xinyong.ingest.datakey import datakey_rotate


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Translated now, a str: argparse cannot format a lazy string.
        self.help = _(
            "数据密钥（加密证件号码、退回行和原始文件）：rotate 轮换并重新加密（可中断后重跑），"
            "generate 生成新密钥，status 查看当前密钥"
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{rotate,generate,status}"
        )
        sub.add_parser("rotate", help=str(_("生成新密钥并用它重新加密全部数据，完成后删除旧密钥")))
        sub.add_parser("generate", help=str(_("输出一个新密钥（用于 XINYONG_DATA_KEY）")))
        sub.add_parser("status", help=str(_("显示密钥来源和密钥编号")))

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "generate":
            self.stdout.write(generate_key())
            return
        try:
            if command == "status":
                self._status()
            else:
                self._rotate()
        except DataKeyError as error:
            raise CommandError(str(error)) from error

    def _status(self) -> None:
        reset_keyring()
        ring = keyring()
        source = "XINYONG_DATA_KEY" if ring.from_env else str(key_file())
        self.stdout.write(_("密钥来源：%(source)s") % {"source": source})
        self.stdout.write(_("当前密钥：%(kid)s") % {"kid": ring.current.hex()})
        if len(ring.keys) > 1:
            self.stdout.write(_("还有 %(n)d 个旧密钥：轮换尚未完成") % {"n": len(ring.keys) - 1})

    def _rotate(self) -> None:
        result = datakey_rotate(actor=command_actor(), progress=lambda m: self.stderr.write(m))
        if result.new_key:
            self.stdout.write(_("已生成新密钥，旧密钥保留至重新加密完成"))
        self.stdout.write(
            _("已重新加密：主体证件号码 %(s)d 个，退回行 %(r)d 行，原始文件 %(f)d 个")
            % {"s": result.subjects, "r": result.rejected_rows, "f": result.files}
        )
        if result.failed_files:
            raise CommandError(
                _("%(n)d 个原始文件已损坏或被改动，未能重新加密，旧密钥仍保留：%(files)s")
                % {"n": len(result.failed_files), "files": "、".join(result.failed_files[:20])}
            )
        if result.old_keys_dropped:
            self.stdout.write(_("轮换完成，旧密钥已删除。请立即备份新的 data_key 文件"))
        elif keyring().from_env and len(keyring().keys) > 1:
            self.stdout.write(
                _("轮换完成。请从 XINYONG_DATA_KEY 中删除旧密钥（只保留第一个），然后重启服务")
            )
        elif keyring().from_env:
            self.stdout.write(
                _(
                    "XINYONG_DATA_KEY 中只有一个密钥：已用它加密尚未加密的数据。要轮换，"
                    "请把新密钥（xinyong datakey generate）放在最前面，旧密钥放在其后，再运行本命令"
                )
            )
        else:
            self.stdout.write(_("轮换完成"))
