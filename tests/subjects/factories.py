"""Subjects of the registry with their codes and former names.

Made directly, as a registry row already there; the intake's own path
(`subject_resolve_bulk`) is what the resolution tests exercise."""

import factory
from factory.django import DjangoModelFactory

from xinyong.core import clock
from xinyong.subjects.models import Subject, SubjectAlias, SubjectIdentifier
from xinyong.subjects.naming import name_key


class SubjectFactory(DjangoModelFactory):
    """An organisation (a legal person) unless `kind` says otherwise."""

    class Meta:
        model = Subject

    kind = Subject.Kind.LEGAL
    name = factory.Sequence(lambda n: f"神农架测试{n}有限公司")
    name_key = factory.LazyAttribute(lambda subject: name_key(subject.name))
    uscc = None
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.SelfAttribute("created_at")


class SubjectIdentifierFactory(DjangoModelFactory):
    class Meta:
        model = SubjectIdentifier

    subject = factory.SubFactory(SubjectFactory)
    kind = SubjectIdentifier.Kind.REGISTRATION
    value = factory.Sequence(lambda n: f"429021{n:09d}")


class SubjectAliasFactory(DjangoModelFactory):
    class Meta:
        model = SubjectAlias

    subject = factory.SubFactory(SubjectFactory)
    name = factory.Sequence(lambda n: f"神农架测试{n}旧名公司")
    name_key = factory.LazyAttribute(lambda alias: name_key(alias.name))
