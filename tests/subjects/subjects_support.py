"""Helpers shared by the subject tests (a plain module: imported, not collected)."""

from xinyong.subjects.services import SubjectCandidate

# Codes that pass the GB 32100 / GB 11643 checks (DOMAIN.md §1).
USCC_A = "91110000600037341L"
USCC_B = "91350200776049653A"
USCC_C = "9135021359498494XQ"
RESIDENT_ID = "11010519491231002X"


def legal(name, **codes) -> SubjectCandidate:
    return SubjectCandidate(kind="legal", name=name, **codes)


def person(name, id_number) -> SubjectCandidate:
    return SubjectCandidate(kind="person", name=name, id_number=id_number)
