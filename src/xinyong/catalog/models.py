"""The credit information catalog (信用信息目录).

A catalog item says which fields a record has and how each is checked, who
owns it, its submission deadline and its disclosure. Adding an item is data,
not code. Every change publishes a new `CatalogItemVersion` whose `schema` is
a frozen snapshot of the fields; a record keeps the version it was checked
against, so later edits never rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeList(models.Model):
    """A list of allowed values (e.g. 处罚类别, 证件类型)."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    values = models.JSONField(_("取值"), default=list, help_text=_("允许的取值列表"))
    # The 双公示 standard lets 证件类型 and 处罚类别 be written "其他-<what>":
    # a value starting with one of these prefixes is accepted too.
    prefixes = models.JSONField(
        _("允许的前缀"),
        default=list,
        blank=True,
        help_text=_("以这些前缀开头的值也接受，如“其他-”"),
    )
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("代码表")
        verbose_name_plural = _("代码表")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CatalogItem(models.Model):
    class Category(models.TextChoices):
        ADMIN_LICENSE = "license", _("行政许可")
        ADMIN_PENALTY = "penalty", _("行政处罚")
        TAX = "tax", _("纳税信用")
        SOCIAL_SECURITY = "social_security", _("社会保险")
        JUDICIAL = "judicial", _("司法信息")
        OTHER = "other", _("其他")

    class Nature(models.TextChoices):
        POSITIVE = "positive", _("守信（正面）")
        NEUTRAL = "neutral", _("中性")
        NEGATIVE = "negative", _("失信（负面）")

    class Disclosure(models.TextChoices):
        PUBLIC = "public", _("公开")
        AUTHORIZED = "authorized", _("授权查询")
        GOVERNMENT = "government", _("政务共享")

    class DeadlineUnit(models.TextChoices):
        DAYS = "days", _("自然日")
        WORKDAYS = "workdays", _("工作日")

    code = models.SlugField(_("目录编码"), max_length=30, unique=True, allow_unicode=False)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    nature = models.CharField(_("性质"), max_length=10, choices=Nature.choices)
    disclosure = models.CharField(_("公开属性"), max_length=12, choices=Disclosure.choices)
    departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("报送部门"), related_name="catalog_items", blank=True
    )
    # 工作要点（神信用办〔2018〕1号）二.2: information is submitted within 7 days.
    submit_within = models.PositiveSmallIntegerField(_("报送时限"), default=7)
    submit_unit = models.CharField(
        _("报送时限单位"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.DAYS
    )
    # 发改办财金〔2018〕424号: 双公示 online within 7 working days of the decision.
    publish_within_workdays = models.PositiveSmallIntegerField(
        _("公示时限（工作日）"), null=True, blank=True
    )
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    # The fields whose values identify one record (a correction of the same
    # record is a new revision). Empty: the field with role doc_number.
    key_fields = models.JSONField(
        _("记录标识字段"),
        default=list,
        blank=True,
        help_text=_("唯一确定一条记录的字段名；留空则用文书号"),
    )
    is_builtin = models.BooleanField(_("内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    # 社会信用体系建设规划纲要 四 (政务诚信, 个人诚信): 公务员诚信档案 and the
    # integrity records of key groups are read only by the departments named
    # here and the credit office, every read audited, never public.
    is_restricted = models.BooleanField(
        _("限制查阅"),
        default=False,
        help_text=_("仅限信用办和指定部门查阅，每次查阅留痕，任何情况下不公开"),
    )
    readers = models.ManyToManyField(
        "orgs.Department",
        verbose_name=_("可查阅部门"),
        related_name="readable_items",
        blank=True,
    )
    current_version = models.ForeignKey(
        "CatalogItemVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        ordering = ["code"]
        constraints = [
            # A restricted item is never public, whatever else is edited.
            models.CheckConstraint(
                condition=~models.Q(is_restricted=True, disclosure="public"),
                name="catalog_item_restricted_not_public",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def public_items() -> "models.QuerySet[CatalogItem]":
    """The items whose records may go public: public disclosure and not
    restricted. The one definition every public path (portal, open-data
    API, CSV exports, change feed, subject pages, the daily job) uses,
    through `records.models.OfPublicItem`."""
    return CatalogItem.objects.filter(disclosure=CatalogItem.Disclosure.PUBLIC, is_restricted=False)


class CatalogField(models.Model):
    """One field of an item (the working definition; versions freeze it)."""

    class Type(models.TextChoices):
        TEXT = "text", _("文本")
        DATE = "date", _("日期")
        DECIMAL = "decimal", _("数值")
        CODE_LIST = "code_list", _("代码表")
        IDENTIFIER = "identifier", _("证照代码")

    class Role(models.TextChoices):
        """Fields that fill the record's common, indexed columns."""

        NONE = "", _("无")
        SUBJECT_NAME = "subject_name", _("主体名称")
        SUBJECT_KIND = "subject_kind", _("主体类别")
        SUBJECT_USCC = "subject_uscc", _("统一社会信用代码")
        SUBJECT_REGISTRATION = "subject_registration", _("工商注册号")
        SUBJECT_ORGANIZATION = "subject_organization", _("组织机构代码")
        SUBJECT_TAX = "subject_tax", _("税务登记号")
        SUBJECT_INSTITUTION = "subject_institution", _("事业单位证书号")
        SUBJECT_SOCIAL_ORG = "subject_social_org", _("社会组织登记证号")
        SUBJECT_ID_TYPE = "subject_id_type", _("证件类型")
        SUBJECT_ID_NUMBER = "subject_id_number", _("证件号码")
        DOC_NUMBER = "doc_number", _("文书号")
        DECISION_DATE = "decision_date", _("决定日期")
        VALID_FROM = "valid_from", _("有效期自")
        VALID_TO = "valid_to", _("有效期至")

    class Masking(models.TextChoices):
        NONE = "", _("不遮蔽")
        ID_NUMBER = "id_number", _("证件号码")
        PERSON_NAME = "person_name", _("自然人姓名")
        PHONE = "phone", _("电话")
        HIDDEN = "hidden", _("不显示")

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("字段名"), max_length=50)
    label = models.CharField(_("中文名"), max_length=100)
    aliases = models.JSONField(_("表头别名"), default=list, blank=True)
    type = models.CharField(_("类型"), max_length=12, choices=Type.choices, default=Type.TEXT)
    role = models.CharField(_("用途"), max_length=24, choices=Role.choices, blank=True, default="")
    required = models.BooleanField(_("必填"), default=False)
    max_length = models.PositiveIntegerField(_("最大长度"), null=True, blank=True)
    pattern = models.CharField(_("格式（正则）"), max_length=200, blank=True)
    code_list = models.ForeignKey(
        CodeList, verbose_name=_("代码表"), null=True, blank=True, on_delete=models.PROTECT
    )
    identifier_kind = models.CharField(
        _("代码类型"),
        max_length=24,
        blank=True,
        help_text=_("uscc、resident_id、registration_number、organization_code 或 any"),
    )
    is_public = models.BooleanField(_("公开"), default=True)
    masking = models.CharField(
        _("遮蔽"), max_length=12, choices=Masking.choices, blank=True, default=""
    )
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("目录字段")
        verbose_name_plural = _("目录字段")
        ordering = ["item", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="catalog_field_key_unique"),
            models.UniqueConstraint(fields=["item", "label"], name="catalog_field_label_unique"),
            # A role fills one common column of the record: one field per role.
            models.UniqueConstraint(
                fields=["item", "role"],
                condition=~models.Q(role=""),
                name="catalog_field_role_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}.{self.key} {self.label}"


class CatalogItemVersion(models.Model):
    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    schema = models.JSONField(_("字段定义快照"))
    note = models.CharField(_("变更说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发布时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"


class CatalogChangeRequest(models.Model):
    """A department's proposal to change an item it cannot change itself (a
    shared item, or a field's disclosure or role). The credit office
    approves it (the change is applied through the catalog's services and
    publishes a new version) or refuses it, each with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已驳回")

    class Action(models.TextChoices):
        ITEM_UPDATE = "item_update", _("修改事项设置")
        FIELD_ADD = "field_add", _("新增字段")
        FIELD_UPDATE = "field_update", _("修改字段")
        FIELD_REMOVE = "field_remove", _("删除字段")

    item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("目录事项"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    action = models.CharField(_("变更类型"), max_length=16, choices=Action.choices)
    # The field the change is about (its key when the request was filed);
    # empty for an item's settings and for a new field.
    field_key = models.CharField(_("字段名"), max_length=50, blank=True)
    # The proposed values: names of the item's or the field's settings → new
    # values, as JSON (a code list by its code).
    changes = models.JSONField(_("拟变更内容"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("申请理由"), max_length=300)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("申请部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    version = models.ForeignKey(
        CatalogItemVersion,
        verbose_name=_("生成的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("目录变更申请")
        verbose_name_plural = _("目录变更申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A decided request names who decided, when and why.
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | (models.Q(decided_at__isnull=False) & ~models.Q(decision_note="")),
                name="catalog_change_request_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.item.code} #{self.pk} {self.get_action_display()}"
