"""Preparing candidates for resolution (no database): keys, digests, codes
cut or dropped at their columns' limits, and rows that cross processes."""

import pickle

from subjects.subjects_support import RESIDENT_ID, USCC_A, legal
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.resolution.candidates import Row, SubjectCandidate, prepare


def test_rows_are_named_and_survive_the_trip_to_the_writing_process():
    rows = prepare(
        [
            legal("神农架某某旅游有限责任公司", uscc=USCC_A),
            SubjectCandidate(kind="person", name="张三", id_number=RESIDENT_ID),
            SubjectCandidate(kind="legal", name=" "),
        ]
    )
    company, person, nothing = rows
    assert isinstance(company, Row)
    assert (company.key, company.variant, company.uscc) == (
        "神农架某某旅游有限责任公司",
        "神农架某某旅游有限公司",
        USCC_A,
    )
    assert person.digest and person.masked == "1101**********002X"
    assert nothing is None
    assert pickle.loads(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)) == rows  # noqa: S301 — our own bytes


def test_values_longer_than_their_columns_are_cut_or_dropped():
    name_max = Subject._meta.get_field("name").max_length
    code_max = SubjectIdentifier._meta.get_field("value").max_length
    [row] = prepare(
        [
            SubjectCandidate(
                kind="legal",
                name="神" * (name_max + 5),
                uscc=USCC_A + "0",
                registration_number="4" * (code_max + 1),
                organization_code="MA4F0A1B2",
            )
        ]
    )
    assert row.name == "神" * name_max
    assert row.uscc == ""  # no USCC is longer than the column: not a code
    assert row.legacy == (("organization_code", "MA4F0A1B2"),)
