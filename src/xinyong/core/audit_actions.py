"""Audit actions of `core`: the holiday table (imports and admin edits)."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

CALENDAR_YEAR_IMPORT = declare(
    "calendar_year.import", label=_("导入节假日年度安排"), object_type="core.CalendarYear"
)
CALENDAR_YEAR_CREATE = declare(
    "calendar_year.create", label=_("新增节假日年度安排"), object_type="core.CalendarYear"
)
CALENDAR_YEAR_CHANGE = declare(
    "calendar_year.change", label=_("修改节假日年度安排"), object_type="core.CalendarYear"
)
CALENDAR_YEAR_DELETE = declare(
    "calendar_year.delete", label=_("删除节假日年度安排"), object_type="core.CalendarYear"
)
CALENDAR_DAY_CREATE = declare(
    "calendar_day.create", label=_("新增节假日或调休日"), object_type="core.CalendarDay"
)
CALENDAR_DAY_CHANGE = declare(
    "calendar_day.change", label=_("修改节假日或调休日"), object_type="core.CalendarDay"
)
CALENDAR_DAY_DELETE = declare(
    "calendar_day.delete", label=_("删除节假日或调休日"), object_type="core.CalendarDay"
)
TAG_CREATE = declare("tag.create", label=_("新增标签"), object_type="core.Tag")
TAG_CHANGE = declare("tag.change", label=_("修改标签"), object_type="core.Tag")
TAG_DELETE = declare("tag.delete", label=_("删除标签"), object_type="core.Tag")
