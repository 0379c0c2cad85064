"""`xinyong exports`: build the public CSV files of the 双公示 now, in this
process (the worker builds them daily and after every change; this is for an
operator: after restoring a backup, or on a machine without a worker)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xinyong.records import exports


class Command(BaseCommand):
    # A property so that it is translated when asked, not at import.
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand declares a str attribute
        return _(
            "立即生成双公示的公开下载文件（CSV）。后台工作进程每天及数据变化后会自动生成，"
            "本命令供恢复备份后或没有工作进程时使用。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = exports.export_build()
        if directory is None:
            raise CommandError(_("另一个进程正在生成下载文件，请稍后再试"))
        manifest = exports.export_manifest()
        files = manifest.files if manifest is not None else {}
        for name, entry in files.items():
            if "/" not in name:  # the full files; the departments' are beside them
                self.stdout.write(
                    _("%(name)s：%(rows)d 条") % {"name": name, "rows": entry["rows"]}
                )
        self.stdout.write(
            _("已生成 %(count)d 个文件：%(path)s") % {"count": len(files), "path": directory}
        )
