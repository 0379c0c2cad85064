"""`xinyong import FILE --item CODE --department DEPT`: a file processed like an upload."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs.models import Department


class Command(BaseCommand):
    help = "导入一个报送文件（xlsx、xls 或 csv），与网页上传走同一流程"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="文件路径")
        parser.add_argument("--item", required=True, help="目录事项编码，如 XZCF")
        parser.add_argument("--department", required=True, help="部门简码，如 scjg")
        parser.add_argument(
            "--errors", type=int, default=20, help="最多显示多少条退回原因（默认 20）"
        )

    def handle(self, *args, file: str, item: str, department: str, errors: int, **options) -> None:
        catalog_item = CatalogItem.objects.filter(code__iexact=item.strip()).first()
        if catalog_item is None:
            codes = ", ".join(CatalogItem.objects.values_list("code", flat=True))
            raise CommandError(
                _("目录事项“%(item)s”不存在。可用：%(codes)s") % {"item": item, "codes": codes}
            )
        dept = Department.objects.filter(short_code=department.strip().lower()).first()
        if dept is None:
            codes = ", ".join(Department.objects.values_list("short_code", flat=True))
            raise CommandError(
                _("部门“%(dept)s”不存在。可用的部门简码：%(codes)s")
                % {"dept": department, "codes": codes}
            )
        try:
            batch = batch_submit_file(department=dept, item=catalog_item, path=Path(file))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if batch.status == Batch.Status.FAILED:
            raise CommandError(
                _("文件未能处理（批次 #%(pk)s）：%(reason)s")
                % {"pk": batch.pk, "reason": batch.failure_reason}
            )
        self.stdout.write(
            _(
                "批次 #%(pk)s %(dept)s · %(item)s：新增 %(c)s，更正 %(u)s，重复未变 %(n)s，逾期报送 %(l)s"
            )
            % {
                "pk": batch.pk,
                "dept": dept.name,
                "item": catalog_item.name,
                "c": batch.created,
                "u": batch.updated,
                "n": batch.unchanged,
                "l": batch.late,
            }
        )
        for row in batch.rejected_rows.order_by("row_number")[:errors]:
            reasons = "；".join(
                f"“{e['field']}”{e['message']}" if e["field"] else e["message"]
                for e in row.clear_errors()
            )
            self.stdout.write(
                "  " + _("第%(n)s行：%(reasons)s") % {"n": row.row_number, "reasons": reasons}
            )
        if batch.rejected > errors:
            self.stdout.write(
                "  "
                + _("……另有 %(n)s 行被退回，见工作台的错误报告") % {"n": batch.rejected - errors}
            )
        if batch.warned:
            self.stdout.write(
                _("%(n)s 行已通过但有校验提示（如主体类别与代码不一致），见工作台的批次页")
                % {"n": batch.warned}
            )
        self.stdout.write(
            f"received={batch.received} accepted={batch.accepted} rejected={batch.rejected}"
        )
