from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind


class DepartmentQuerySet(models.QuerySet["Department"]):
    def government(self) -> "DepartmentQuerySet":
        """The active government departments and public service units: those that submit
        records and that oversight assesses. Not the credit office, not a credit service
        agency (an agency's account only orders and files reports)."""
        return self.filter(is_active=True).exclude(kind__in=Department.NOT_GOVERNMENT)


class Department(models.Model):
    """A unit that submits or uses credit information, or the credit office itself; a
    credit service agency (reports.Agency) has an account of kind `agency`."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("行业主管部门")
        PUBLIC_SERVICE = "public_service", _("公共服务单位")
        CREDIT_OFFICE = "credit_office", _("信用办")
        # A credit service agency's account (reports.Agency): not a government department,
        # never assessed, never a submitter of records.
        AGENCY = "agency", _("信用服务机构")

    # Kinds that are not departments submitting records nor assessed by oversight.
    NOT_GOVERNMENT = (Kind.CREDIT_OFFICE, Kind.AGENCY)

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_code = models.SlugField(
        _("简码"),
        max_length=30,
        unique=True,
        help_text=_("小写字母、数字或连字符，如 scjg；命令行和接口用它指代部门"),
    )
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.INDUSTRY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    former_names = models.CharField(
        _("曾用名"), max_length=300, blank=True, help_text=_("机构改革前的名称，用顿号分隔")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoUserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        # A superuser is the credit office's: a department role needs a department
        # (orgs_user_department_role), which `createsuperuser` does not ask for.
        extra.setdefault("role", User.Role.CREDIT_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A staff user. The public has no accounts; subjects track their cases by number."""

    class Role(models.TextChoices):
        CREDIT_ADMIN = "credit_admin", _("信用办管理员")
        # Makes and revokes the department's API tokens (orgs.permissions.can_manage_tokens);
        # otherwise sees and submits the department's data (catalog edits stay the clerks').
        DEPARTMENT_ADMIN = "dept_admin", _("部门管理员")
        CLERK = "clerk", _("信息报送员")
        OFFICER = "officer", _("审批/执法人员")

    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CLERK)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A department role without a department would see nothing or, worse, everything.
            models.CheckConstraint(
                condition=models.Q(role="credit_admin") | models.Q(department__isnull=False),
                name="orgs_user_department_role",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_credit_office(self) -> bool:
        return self.role == self.Role.CREDIT_ADMIN or self.is_superuser

    @property
    def is_agency(self) -> bool:
        """A user of a credit service agency's account: it orders and files reports, and
        reaches nothing else (orgs.permissions.agency_may_open)."""
        return (
            not self.is_credit_office
            and self.department is not None
            and self.department.kind == Department.Kind.AGENCY
        )

    def audit_actor(self) -> Actor:
        return Actor(kind=ActorKind.USER, label=str(self), user_id=self.pk)


class ApiToken(models.Model):
    """A department's API token. Only a SHA-256 of the secret is stored; it is shown once."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # A token works until then (default: a year after it is made, services.TOKEN_LIFETIME).
    expires_at = models.DateTimeField(_("到期时间"))

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.department} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Neither revoked nor past its expiry (by the platform clock)."""
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= clock.now()

    def audit_actor(self) -> Actor:
        # The label names the department system (e.g. "处罚系统"); the token is who acted.
        return Actor(kind=ActorKind.TOKEN, label=str(self), token_id=self.pk)


class Notice(models.Model):
    """A notice to a department (or to the credit office when `department` is
    empty): shown on the staff home and sent by email to its users that have
    an address; `email_to` adds an outside recipient (an applicant). Written
    by `orgs.notices.notice_send`."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("接收部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text=_("为空表示信用办"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    email_to = models.CharField(_("外部收件人"), max_length=254, blank=True)
    emailed = models.PositiveIntegerField(_("已发送邮件数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), default=clock.now)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "-created_at"], name="orgs_notice_dept_idx")]

    def __str__(self) -> str:
        return self.title
