"""Admin of `rights`: the credit office's reference data only.

Objections change only through their services (the staff pages under
/staff/rights/), and their deadlines are settings
(`XINYONG_OBJECTION_*_WORKDAYS`). The texts of commitments are data the
credit office keeps here: a text is never edited once created (commitments
were signed against it); a change is added as a new version
(`commitment_text_publish`, audited), which later signatures take from its
启用日期 on."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from xinyong.orgs.http import admin_user
from xinyong.orgs.models import User
from xinyong.rights.models import CommitmentText
from xinyong.rights.services.commitments import commitment_text_publish


class CommitmentTextForm(forms.ModelForm[CommitmentText]):
    class Meta:
        model = CommitmentText
        fields = ["type", "title", "body", "effective_from", "note"]


@admin.register(CommitmentText)
class CommitmentTextAdmin(admin.ModelAdmin[CommitmentText]):
    form = CommitmentTextForm
    list_display = ["type", "version", "title", "effective_from", "created_at"]
    list_filter = ["type"]
    readonly_fields = ["version", "created_at"]

    def _credit_office(self, request: HttpRequest) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_active and user.is_credit_office

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._credit_office(request)

    def has_view_permission(self, request: HttpRequest, obj: CommitmentText | None = None) -> bool:
        return self._credit_office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._credit_office(request)

    def has_change_permission(
        self, request: HttpRequest, obj: CommitmentText | None = None
    ) -> bool:
        return False  # a signed text stays as it was: add a new version instead

    def has_delete_permission(
        self, request: HttpRequest, obj: CommitmentText | None = None
    ) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CommitmentText, form: forms.ModelForm, change: bool
    ) -> None:
        made = commitment_text_publish(
            actor=admin_user(request),
            type=obj.type,
            title=obj.title,
            body=obj.body,
            effective_from=obj.effective_from,
            note=obj.note,
            request=request,
        )
        obj.pk, obj.version, obj.created_at = made.pk, made.version, made.created_at
