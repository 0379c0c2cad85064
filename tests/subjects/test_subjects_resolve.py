"""Bulk resolution of candidates to subjects: codes first, then ID, then name."""

import pytest
from django.db.models import NOT_PROVIDED

from subjects.subjects_support import RESIDENT_ID, USCC_A, USCC_B, USCC_C, legal, person
from xinyong.subjects.models import (
    Subject,
    SubjectAlias,
    SubjectConflict,
    SubjectIdentifier,
    SubjectSighting,
)
from xinyong.subjects.services import SubjectCandidate

pytestmark = pytest.mark.django_db

REG = "420000000012345"  # a 工商注册号
ORG = "MA4F0A1B2"  # a 组织机构代码


def open_conflicts(kind=None):
    qs = SubjectConflict.objects.filter(status=SubjectConflict.Status.OPEN)
    return qs.filter(kind=kind) if kind else qs


# -- matching ---------------------------------------------------------------


def test_new_subject_created_then_found_by_uscc(resolve, department):
    [first] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    subject = Subject.objects.get(pk=first)
    assert (subject.kind, subject.uscc, subject.name_key) == (
        "legal",
        USCC_A,
        "神农架某某旅游有限公司",
    )
    [again] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    assert again == first
    assert Subject.objects.count() == 1


def test_same_uscc_twice_in_one_chunk_is_one_subject(resolve, department):
    ids = resolve(
        department,
        legal("神农架某某旅游有限公司", uscc=USCC_A),
        legal("神农架乙公司", uscc=USCC_B),
        legal("神农架某某旅游有限公司", uscc=USCC_A),
    )
    assert ids[0] == ids[2] != ids[1]
    assert Subject.objects.count() == 2


def test_found_by_legacy_code(resolve, department):
    subject = Subject.objects.create(
        kind="legal",
        name="神农架某某厂",
        name_key="神农架某某厂",
        created_at="2025-01-01T00:00Z",
        updated_at="2025-01-01T00:00Z",
    )
    SubjectIdentifier.objects.create(subject=subject, kind="registration_number", value=REG)
    assert resolve(department, legal("神农架某某厂", registration_number=REG)) == [subject.pk]
    assert Subject.objects.count() == 1


def test_legacy_codes_recorded_when_seen_with_the_uscc(resolve, department):
    [sid] = resolve(
        department,
        legal(
            "神农架某某旅游有限公司", uscc=USCC_A, registration_number=REG, organization_code=ORG
        ),
    )
    codes = set(SubjectIdentifier.objects.filter(subject_id=sid).values_list("kind", "value"))
    assert codes == {("registration_number", REG), ("organization_code", ORG)}
    # A later row with only the old code goes to the same subject.
    assert resolve(department, legal("神农架某某旅游有限公司", registration_number=REG)) == [sid]
    assert resolve(department, legal("神农架某某旅游有限公司", organization_code=ORG)) == [sid]
    assert Subject.objects.count() == 1
    assert not open_conflicts().exists()


def test_subject_known_by_legacy_code_takes_the_uscc(resolve, department):
    """存量代码转换: the subject first seen with its 工商注册号 gets its USCC, not a twin."""
    [old] = resolve(department, legal("神农架某某旅游有限公司", registration_number=REG))
    assert Subject.objects.get(pk=old).uscc is None
    [converted] = resolve(
        department, legal("神农架某某旅游有限公司", uscc=USCC_A, registration_number=REG)
    )
    assert converted == old
    assert Subject.objects.get(pk=old).uscc == USCC_A
    assert resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A)) == [old]
    assert Subject.objects.count() == 1


def test_person_found_by_id_digest_and_id_never_stored(resolve, department, other_department):
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    assert resolve(other_department, person("张三", RESIDENT_ID)) == [sid]
    # The same person under another name is the same subject, with a conflict to check.
    assert resolve(department, person("张四", RESIDENT_ID)) == [sid]
    subject = Subject.objects.get(pk=sid)
    assert subject.kind == "person"
    assert subject.id_masked == "1101**********002X"
    assert subject.id_digest and len(subject.id_digest) == 64
    conflict = open_conflicts("name_mismatch").get()
    assert conflict.seen_code == "1101**********002X"
    clear = RESIDENT_ID[:-1]  # also catches a lower-cased check character
    for model in (Subject, SubjectConflict, SubjectIdentifier, SubjectAlias, SubjectSighting):
        for row in model.objects.values():
            assert clear not in repr(row), model


def test_person_and_the_individual_business_they_run_stay_two_subjects(resolve, department):
    [person_id, business_id] = resolve(
        department,
        person("张三", RESIDENT_ID),
        SubjectCandidate(
            kind="individual_business", name="神农架张三烧烤店", id_number=RESIDENT_ID
        ),
    )
    assert person_id != business_id
    assert resolve(
        department,
        SubjectCandidate(
            kind="individual_business", name="神农架张三烧烤店", id_number=RESIDENT_ID
        ),
    ) == [business_id]


def test_name_only_matches_the_one_subject_of_that_name(resolve, department):
    [sid] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    assert resolve(department, legal("神农架某某（旅游）有限公司".replace("（旅游）", "旅游"))) == [
        sid
    ]
    # Another kind with the same name is not that subject.
    [other] = resolve(
        department, SubjectCandidate(kind="individual_business", name="神农架某某旅游有限公司")
    )
    assert other != sid


def test_name_only_with_several_subjects_of_that_name_gets_its_own_subject_once(
    resolve, department
):
    a, b = resolve(
        department, legal("神农架某某合作社", uscc=USCC_A), legal("神农架某某合作社", uscc=USCC_B)
    )
    [plain] = resolve(department, legal("神农架某某合作社"))
    assert plain not in (a, b)
    # Re-importing does not add a subject every time.
    assert resolve(department, legal("神农架某某合作社")) == [plain]
    assert Subject.objects.count() == 3


def test_name_only_rows_share_a_new_subject_within_a_chunk(resolve, department):
    ids = resolve(department, legal("神农架某某商店"), legal("神农架 某某商店"))
    assert ids[0] == ids[1]
    assert Subject.objects.count() == 1


def test_no_name_and_no_code_resolves_to_none(resolve, department):
    ids = resolve(department, legal(""), legal("  。"), legal("", uscc=USCC_A))
    assert ids[0] is None and ids[1] is None
    assert ids[2] is not None
    # A subject created without a name takes the first name seen later.
    assert resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A)) == [ids[2]]
    assert Subject.objects.get(pk=ids[2]).name == "神农架某某旅游有限公司"
    assert not open_conflicts().exists()


def test_empty_input():
    from xinyong.subjects.services import subject_resolve_bulk

    assert subject_resolve_bulk(department_id=1, candidates=[]) == []


def test_sightings_record_the_department_and_whether_a_code_came_with_it(resolve, department):
    ids = resolve(department, legal("甲公司", uscc=USCC_A), person("张三", RESIDENT_ID))
    sightings = dict(
        SubjectSighting.objects.filter(department=department).values_list("subject_id", "with_code")
    )
    assert sightings == {ids[0]: True, ids[1]: False}


# -- conflicts --------------------------------------------------------------


def test_name_mismatch_conflict_once_per_department_and_name(resolve, department, other_department):
    [sid] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    for _ in range(2):  # a re-import raises nothing new
        assert resolve(department, legal("神农架另一家公司", uscc=USCC_A)) == [sid]
    conflict = open_conflicts("name_mismatch").get()
    assert (conflict.subject_id, conflict.department_id) == (sid, department.pk)
    assert (conflict.seen_name, conflict.seen_code, conflict.source) == (
        "神农架另一家公司",
        USCC_A,
        "test",
    )
    # The subject keeps its registered name.
    assert Subject.objects.get(pk=sid).name == "神农架某某旅游有限公司"
    # Another department's rows are its own doubt, in its own queue.
    resolve(other_department, legal("神农架另一家公司", uscc=USCC_A))
    assert open_conflicts("name_mismatch").count() == 2


def test_name_mismatch_within_one_chunk(resolve, department):
    ids = resolve(
        department,
        legal("神农架某某旅游有限公司", uscc=USCC_A),
        legal("神农架另一家公司", uscc=USCC_A),
    )
    assert ids[0] == ids[1]
    assert open_conflicts("name_mismatch").get().seen_name == "神农架另一家公司"


def test_limited_liability_variant_and_alias_are_not_conflicts(resolve, department):
    [sid] = resolve(department, legal("神农架某某旅游有限责任公司", uscc=USCC_A))
    SubjectAlias.objects.create(
        subject_id=sid, name="神农架某某旅行社", name_key="神农架某某旅行社"
    )
    ids = resolve(
        department,
        legal("神农架某某旅游有限公司", uscc=USCC_A),
        legal("神农架某某（旅游）有限责任公司".replace("（旅游）", "旅游"), uscc=USCC_A),
        legal("神农架某某旅行社", uscc=USCC_A),
    )
    assert set(ids) == {sid}
    assert not open_conflicts().exists()


def test_code_mismatch_same_name_two_usccs(resolve, department):
    [a] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    for _ in range(2):
        [b] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_B))
    assert a != b
    conflict = open_conflicts("code_mismatch").get()
    assert (conflict.subject_id, conflict.other_subject_id, conflict.seen_code) == (a, b, USCC_B)
    # Each row still resolves to the subject of its own code, and the pair
    # is one doubt whichever of the two a row names.
    assert resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A)) == [a]
    assert open_conflicts("code_mismatch").count() == 1


def test_code_mismatch_within_one_chunk(resolve, department):
    a, b = resolve(
        department,
        legal("神农架某某旅游有限公司", uscc=USCC_A),
        legal("神农架某某旅游有限公司", uscc=USCC_B),
    )
    assert a != b
    conflict = open_conflicts("code_mismatch").get()
    assert {conflict.subject_id, conflict.other_subject_id} == {a, b}


def test_legacy_mismatch_when_old_code_belongs_to_another_subject(resolve, department):
    [a] = resolve(department, legal("神农架甲公司", uscc=USCC_A, registration_number=REG))
    for _ in range(2):
        [b] = resolve(department, legal("神农架乙公司", uscc=USCC_B, registration_number=REG))
    assert a != b
    conflict = open_conflicts("legacy_mismatch").get()
    assert (conflict.subject_id, conflict.other_subject_id, conflict.seen_code) == (b, a, REG)
    # The old code stays mapped to the first subject.
    assert SubjectIdentifier.objects.get(value=REG).subject_id == a


def test_legacy_codes_pointing_to_two_subjects(resolve, department):
    [a] = resolve(department, legal("神农架甲公司", registration_number=REG))
    [b] = resolve(department, legal("神农架乙公司", organization_code=ORG))
    [c] = resolve(department, legal("神农架甲公司", registration_number=REG, organization_code=ORG))
    assert c == a != b
    conflict = open_conflicts("legacy_mismatch").get()
    assert (conflict.subject_id, conflict.other_subject_id, conflict.seen_code) == (a, b, ORG)


def test_corrected_conflict_is_raised_again_confirmed_one_is_not(resolve, department, admin_user):
    from xinyong.subjects.services import conflict_resolve

    resolve(department, legal("神农架甲公司", uscc=USCC_A))
    resolve(department, legal("神农架乙公司", uscc=USCC_A))
    conflict = open_conflicts().get()
    conflict_resolve(actor=admin_user, conflict=conflict, status="corrected", note="已通知部门更正")
    resolve(department, legal("神农架乙公司", uscc=USCC_A))  # the same wrong name again
    assert open_conflicts().count() == 1

    resolve(department, legal("神农架甲公司", uscc=USCC_B))
    code_conflict = open_conflicts("code_mismatch").get()
    conflict_resolve(
        actor=admin_user, conflict=code_conflict, status="confirmed", note="确为不同主体"
    )
    resolve(department, legal("神农架甲公司", uscc=USCC_A), legal("神农架甲公司", uscc=USCC_B))
    assert not open_conflicts("code_mismatch").exists()


# -- cost -------------------------------------------------------------------


def _fake_uscc(i: int) -> str:
    return f"9142{i:014d}"


def _chunk(start: int, size: int = 2000) -> list[SubjectCandidate]:
    rows = []
    for i in range(start, start + size):
        if i % 10 == 0:
            rows.append(person(f"姓名{i}", f"42902119900101{i % 10000:04d}"))
        elif i % 10 == 1:
            rows.append(legal(f"神农架旧码单位{i}", registration_number=f"4290{i:011d}"))
        else:
            rows.append(
                legal(f"神农架测试公司{i}", uscc=_fake_uscc(i), organization_code=f"A{i:08d}")
            )
    return rows


def test_query_count_per_chunk_is_small_and_constant(
    resolve, department, django_assert_max_num_queries
):
    # A chunk of 2,000 new subjects: savepoint, 2 reads, 3 inserts, 1 upsert, release.
    with django_assert_max_num_queries(8):
        ids = resolve(department, *_chunk(0))
    assert len(set(ids)) == 2000
    # The same 2,000 again, plus name and code conflicts on some rows.
    again = _chunk(0)
    for i in range(0, 2000, 7):
        again[i].name = f"改了名称{i}"
    with django_assert_max_num_queries(8):
        assert resolve(department, *again) == ids
    assert open_conflicts("name_mismatch").count() == len(range(0, 2000, 7))
    # And the size of the chunk does not change the count.
    with django_assert_max_num_queries(8):
        resolve(department, *_chunk(2000, 3000))
    assert Subject.objects.count() == 5000


def test_unique_clash_with_a_concurrent_import_is_resolved_again(resolve, department, monkeypatch):
    """Another import created the subject between our read and our insert:
    the chunk rolls back to its savepoint and resolves again."""
    from xinyong.subjects.resolution import reading

    [existing] = resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    original_load = reading.load
    calls = []

    def stale_load(chunk):
        original_load(chunk)
        calls.append(1)
        if len(calls) == 1:  # the first read misses the other import's row
            chunk.by_uscc.clear()
            chunk.by_id.clear()
            chunk.by_key.clear()

    monkeypatch.setattr(reading, "load", stale_load)
    ids = resolve(
        department,
        legal("神农架新公司", uscc=USCC_B),
        legal("神农架某某旅游有限公司", uscc=USCC_A),
    )
    assert len(calls) == 2
    assert ids[1] == existing
    assert Subject.objects.filter(uscc=USCC_B).count() == 1
    assert Subject.objects.count() == 2


def test_individual_business_takes_the_operator_id_later(resolve, department):
    business = SubjectCandidate(kind="individual_business", name="神农架张三烧烤店", uscc=USCC_C)
    [sid] = resolve(department, business)
    with_id = SubjectCandidate(
        kind="individual_business", name="神农架张三烧烤店", uscc=USCC_C, id_number=RESIDENT_ID
    )
    assert resolve(department, with_id) == [sid]
    assert Subject.objects.get(pk=sid).id_masked == "1101**********002X"
    only_id = SubjectCandidate(
        kind="individual_business", name="神农架张三烧烤店", id_number=RESIDENT_ID
    )
    assert resolve(department, only_id) == [sid]


def test_over_long_codes_do_not_break_the_chunk(resolve, department):
    odd = legal("神农架某某单位", tax_number="9" * 40, uscc="X" * 25)
    [sid] = resolve(department, odd, person("外籍人士", "P" * 40))[:1]
    assert sid is not None
    assert not SubjectIdentifier.objects.exists()
    assert Subject.objects.get(kind="person").id_masked == "PPPP" + "*" * 22 + "PPPP"


def test_conflict_rows_name_the_columns_they_fill():
    from xinyong.subjects.resolution.writing import ConflictRow

    fields = {f.name for f in SubjectConflict._meta.concrete_fields} - {"id"}
    assert set(ConflictRow._fields) <= fields
    # Every column without a default is filled.
    required = {
        f.name
        for f in SubjectConflict._meta.concrete_fields
        if f.name != "id" and not f.null and not f.has_default() and f.db_default is NOT_PROVIDED
    }
    assert required <= set(ConflictRow._fields)
