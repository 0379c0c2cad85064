"""The staff home's objection alerts (orgs cannot import rights: the template
reads `rights_alerts`, evaluated only where a template uses it)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from xinyong.rights.selectors import objection_alerts


def staff_alerts(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"rights_alerts": SimpleLazyObject(lambda: objection_alerts(user))}
