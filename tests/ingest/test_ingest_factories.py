from ingest.factories import BatchFactory
from xinyong.ingest.selectors import batch_list_for


def test_batch_is_seen_by_its_department_only(clerk, other_clerk, admin_user):
    batch = BatchFactory(department=clerk.department)
    assert list(batch_list_for(clerk)) == [batch]
    assert list(batch_list_for(other_clerk)) == []
    assert list(batch_list_for(admin_user)) == [batch]
