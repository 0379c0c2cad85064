"""Resolution of one chunk of candidates to subject ids: the hot path of intake.

One call reads what the chunk's codes and names already match (one or two
SELECTs with the whole list as one parameter: `reading`), decides every row
in Python with dictionaries (`deciding`), then writes what is new in a few
multi-row INSERTs (`writing`). The number of statements does not grow with
the chunk (see `services` for the list) and nothing is held beyond the
chunk (`chunk`). Candidates are prepared beforehand, without the database
(`candidates`).

The rules, in order, for one candidate:

1. With a USCC: the subject that has it. If none does, a subject without a
   USCC that one of the row's legacy codes (or, failing that, its ID
   digest of the same kind) already points to takes the USCC — the plan's
   存量代码转换; otherwise a new subject.
2. Without a USCC, with legacy codes: the subject the first known code
   points to (工商注册号, 组织机构代码, 税务登记号, 事业单位证书号, 社会组织登记证号
   in that order), else by ID digest, else a new subject.
3. With only an ID number (persons, individual businesses): the subject of
   that kind with the same digest, else a new one.
4. With only a name: the one subject of that kind with that name key; if
   several share it, the one that has no code at all (created by an earlier
   name-only row); else a new subject.
5. A row without name and code resolves to None.

Then, for the subject chosen:

- every legacy code of the row not yet known is mapped to it; a code
  already mapped to another subject is a `legacy_mismatch` conflict;
- an ID digest is recorded if the subject has none and no other subject of
  its kind holds it;
- a subject without a name takes the row's name; a row whose name key
  differs from the subject's (not a 有限责任公司/有限公司 variant, not one of
  its aliases) is a `name_mismatch` conflict;
- a row with a USCC whose name key is also the name key of another subject
  with a different USCC is a `code_mismatch` conflict, one per pair of
  subjects (`subject` is the older, `other_subject` the newer).

Conflicts are per department and written with ON CONFLICT DO NOTHING
against the `subject_conflict_once` constraint, so a re-import adds none.
"""

from xinyong.subjects.resolution import reading, writing
from xinyong.subjects.resolution.candidates import Row, SubjectCandidate, prepare
from xinyong.subjects.resolution.chunk import Chunk
from xinyong.subjects.resolution.deciding import decide

# What code outside the package uses.
__all__ = ["Row", "SubjectCandidate", "prepare", "resolve_chunk"]


def resolve_chunk(
    department_id: int, rows: list[Row | None], source: str, pending_batch_id: int | None = None
) -> list[int | None]:
    """The subject id of every prepared row (None for None), creating and
    recording what is new (new subjects pending `pending_batch_id`, if
    given). Must run inside the caller's transaction."""
    chunk = Chunk(department_id, rows, source, pending_batch_id)
    reading.load(chunk)
    targets = [None if row is None else decide(chunk, row) for row in rows]
    writing.write(chunk)
    return [None if t is None else t.id for t in targets]
