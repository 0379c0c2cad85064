"""Submission batches as rows (a finished API batch by default). The intake
tests push real files through `batch_submit_*` instead."""

import factory
from factory.django import DjangoModelFactory

from orgs.factories import DepartmentFactory
from records.factories import builtin_item
from xinyong.core import clock
from xinyong.ingest.models import Batch


class BatchFactory(DjangoModelFactory):
    class Meta:
        model = Batch

    department = factory.SubFactory(DepartmentFactory)
    item = factory.LazyFunction(builtin_item)
    version = factory.LazyAttribute(lambda batch: batch.item.current_version)
    source = Batch.Source.API
    status = Batch.Status.DONE
    created_at = factory.LazyFunction(clock.now)
    finished_at = factory.SelfAttribute("created_at")
