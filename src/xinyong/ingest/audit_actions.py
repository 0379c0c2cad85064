"""Audit actions of `ingest`: submission batches."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

BATCH_PROCESS = declare("batch.process", label=_("处理报送批次"), object_type="ingest.Batch")
# The retention period removed stored originals (one row a run, with the batches).
BATCH_REMOVE_ORIGINALS = declare(
    "batch.remove_originals", label=_("按保存期限删除原始文件"), object_type="ingest.Batch"
)
# The data key rotated: every encrypted value and stored file re-encrypted.
DATAKEY_ROTATE = declare("datakey.rotate", label=_("轮换数据密钥"), object_type="ingest.Batch")
