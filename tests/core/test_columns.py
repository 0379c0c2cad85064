import pytest
from django.core.exceptions import ImproperlyConfigured

from xinyong.core.columns import max_length
from xinyong.core.models import AuditLog


def test_max_length_reads_the_column():
    assert max_length(AuditLog, "object_label") == 300
    assert max_length(AuditLog, "action") == 100


@pytest.mark.parametrize("name", ["at", "reason"])
def test_max_length_refuses_a_column_without_one(name):
    # A datetime, and a TextField (no max_length declared).
    with pytest.raises(ImproperlyConfigured, match=f"core.AuditLog.{name} has no max_length"):
        max_length(AuditLog, name)
