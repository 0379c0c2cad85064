"""Reads of records, by responsibility:

- `staff`: one department's record, its history and disclosure window;
- `public`: the public shape of a record (which records, which fields,
  masked how; `PublicRecord`), the one every public path shows;
- `shuanggongshi`: the public 双公示 lists, record pages, open-data pages,
  CSV rows and home-page figures;
- `subject`: a subject's public page data;
- `changes`: the change feed of the 双公示.

Callers import this package (`from xinyong.records import selectors`); every
name below is one of those modules'.
"""

from xinyong.records.selectors.changes import (
    Change,
    ChangePage,
    FeedPosition,
    RowAfter,
    changes_query,
    changes_query_for_items,
    changes_since,
    encode_cursor,
    parse_since,
)
from xinyong.records.selectors.public import (
    KIND_BY_ITEM,
    KINDS,
    SHUANGGONGSHI_ITEMS,
    Kind,
    PublicRecord,
    PublicValue,
    public_view,
    record_is_person,
    record_list_public,
    record_public_fields,
    record_public_values,
    record_scrub,
)
from xinyong.records.selectors.shuanggongshi import (
    COUNT_CAP,
    OpenDataFilters,
    OpenDataPage,
    Page,
    RecordFilters,
    category_choices,
    department_choices,
    filter_records,
    get_kind,
    iter_public_views,
    latest,
    open_data_page,
    page_of,
    public_columns,
    public_counts,
    record_get_public,
    record_get_withdrawn,
    record_list,
    shuanggongshi_records,
)
from xinyong.records.selectors.staff import (
    record_by_key,
    record_disclosure,
    record_fields,
    record_get_for,
    record_history,
    record_read_restricted,
)
from xinyong.records.selectors.subject import (
    SubjectPage,
    SubjectRecords,
    subject_page,
)

__all__ = [
    "COUNT_CAP",
    "KINDS",
    "KIND_BY_ITEM",
    "SHUANGGONGSHI_ITEMS",
    "Change",
    "ChangePage",
    "FeedPosition",
    "Kind",
    "OpenDataFilters",
    "OpenDataPage",
    "Page",
    "PublicRecord",
    "PublicValue",
    "RecordFilters",
    "RowAfter",
    "SubjectPage",
    "SubjectRecords",
    "category_choices",
    "changes_query",
    "changes_query_for_items",
    "changes_since",
    "department_choices",
    "encode_cursor",
    "filter_records",
    "get_kind",
    "iter_public_views",
    "latest",
    "open_data_page",
    "page_of",
    "parse_since",
    "public_columns",
    "public_counts",
    "public_view",
    "record_by_key",
    "record_disclosure",
    "record_fields",
    "record_get_for",
    "record_get_public",
    "record_get_withdrawn",
    "record_history",
    "record_is_person",
    "record_list",
    "record_list_public",
    "record_public_fields",
    "record_public_values",
    "record_read_restricted",
    "record_scrub",
    "shuanggongshi_records",
    "subject_page",
]
