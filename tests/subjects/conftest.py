import pytest

from xinyong.subjects.services import subject_resolve_bulk


@pytest.fixture
def resolve(db):
    """`resolve(department, candidate, …)` → the subject ids, in one call (one chunk)."""

    def run(department, *candidates, source="test"):
        return subject_resolve_bulk(
            department_id=department.pk, candidates=list(candidates), source=source
        )

    return run
