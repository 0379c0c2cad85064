from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.oversight.indicators.registry import Indicator


class PowersForm(forms.Form):
    file = forms.FileField(label=_("权力清单（xlsx）"))


class SchemeForm(forms.Form):
    """One weight and one target (in %) per indicator, then the thresholds."""

    name = forms.CharField(label=_("方案名称"), max_length=100)
    praise_at = forms.IntegerField(label=_("表扬分数线"), min_value=0, max_value=100)
    criticise_below = forms.IntegerField(label=_("通报批评分数线"), min_value=0, max_value=100)
    note = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, indicators: list[Indicator], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.indicators = indicators
        for ind in indicators:
            self.fields[f"w_{ind.code}"] = forms.IntegerField(
                label=_("%(l)s 权重") % {"l": ind.label}, min_value=0, max_value=100
            )
            self.fields[f"t_{ind.code}"] = forms.DecimalField(
                label=_("%(l)s 目标（%%）") % {"l": ind.label},
                min_value=0,
                max_value=100,
                decimal_places=2,
            )

    def entries(self) -> dict[str, dict[str, float]]:
        data = self.cleaned_data
        return {
            ind.code: {
                "weight": data[f"w_{ind.code}"],
                "target": float(data[f"t_{ind.code}"]) / 100,
            }
            for ind in self.indicators
        }
