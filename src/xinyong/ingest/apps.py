from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "xinyong.ingest"
    label = "ingest"
    verbose_name = _("数据报送")

    def ready(self) -> None:
        from xinyong.ingest.selectors import unfinished_sources, wrong_code_counts
        from xinyong.subjects.selectors import (
            register_unfinished_imports,
            register_wrong_code_counter,
        )

        register_wrong_code_counter(wrong_code_counts)
        register_unfinished_imports(unfinished_sources)
