"""Audit actions of `ingest`: submission batches."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

BATCH_PROCESS = declare("batch.process", label=_("处理报送批次"), object_type="ingest.Batch")
