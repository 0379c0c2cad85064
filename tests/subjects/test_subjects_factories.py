from subjects.factories import SubjectAliasFactory, SubjectFactory, SubjectIdentifierFactory
from xinyong.subjects.models import Subject


def test_subject_with_code_and_former_name(db):
    subject = SubjectFactory(name="神农架 林海（集团）有限公司")
    SubjectIdentifierFactory(subject=subject)
    alias = SubjectAliasFactory(subject=subject)
    subject.refresh_from_db()
    assert subject.kind == Subject.Kind.LEGAL
    assert subject.name_key == "神农架林海(集团)有限公司"
    assert subject.identifiers.count() == 1
    assert list(subject.aliases.all()) == [alias]
