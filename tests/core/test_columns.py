import pytest
from django.core.exceptions import ImproperlyConfigured

from xinyong.core.columns import max_length, verbose_name
from xinyong.core.models import AuditLog


def test_max_length_reads_the_column():
    assert max_length(AuditLog, "object_label") == 300
    assert max_length(AuditLog, "action") == 100


@pytest.mark.parametrize("name", ["at", "reason"])
def test_max_length_refuses_a_column_without_one(name):
    # A datetime, and a TextField (no max_length declared).
    with pytest.raises(ImproperlyConfigured, match=f"core.AuditLog.{name} has no max_length"):
        max_length(AuditLog, name)


def test_verbose_name_reads_the_field_and_falls_back_on_the_name():
    from xinyong.orgs.models import Department

    assert verbose_name(AuditLog, "object_label") == "对象"
    # A reverse relation (users of a department) has no verbose name of its own.
    assert verbose_name(Department, "users") == "users"
