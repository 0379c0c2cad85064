"""`xinyong import FILE --item CODE --department DEPT`: a file processed like an upload."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs.models import Department


class Command(BaseCommand):
    help = "导入一个报送文件（xlsx、xls 或 csv），与网页上传走同一流程"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径")
        parser.add_argument("--item", required=True, help="目录事项编码，如 XZCF")
        parser.add_argument("--department", required=True, help="部门简码，如 scjg")
        parser.add_argument(
            "--errors", type=int, default=20, help="最多显示多少条退回原因（默认 20）"
        )

    def handle(self, *args, file: str, item: str, department: str, errors: int, **options):
        catalog_item = CatalogItem.objects.filter(code__iexact=item.strip()).first()
        if catalog_item is None:
            codes = ", ".join(CatalogItem.objects.values_list("code", flat=True))
            raise CommandError(f"目录事项“{item}”不存在。可用：{codes}")
        dept = Department.objects.filter(short_code=department.strip().lower()).first()
        if dept is None:
            codes = ", ".join(Department.objects.values_list("short_code", flat=True))
            raise CommandError(f"部门“{department}”不存在。可用的部门简码：{codes}")
        try:
            batch = batch_submit_file(department=dept, item=catalog_item, path=Path(file))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if batch.status == Batch.Status.FAILED:
            raise CommandError(f"文件未能处理（批次 #{batch.pk}）：{batch.failure_reason}")
        self.stdout.write(
            f"批次 #{batch.pk} {dept.name} · {catalog_item.name}：新增 {batch.created}，更正 {batch.updated}，"
            f"重复未变 {batch.unchanged}，逾期报送 {batch.late}"
        )
        for row in batch.rejected_rows.order_by("row_number")[:errors]:
            reasons = "；".join(
                f"“{e['field']}”{e['message']}" if e["field"] else e["message"] for e in row.errors
            )
            self.stdout.write(f"  第{row.row_number}行：{reasons}")
        if batch.rejected > errors:
            self.stdout.write(f"  ……另有 {batch.rejected - errors} 行被退回，见工作台的错误报告")
        self.stdout.write(
            f"received={batch.received} accepted={batch.accepted} rejected={batch.rejected}"
        )
