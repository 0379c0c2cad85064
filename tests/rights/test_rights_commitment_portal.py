"""Commitments on the portal: only 主动型 and 信用修复型 are published, a
person's name masked and the ID number never shown; the subject page's
section; the signing form with its identity check and rate limit; the staff
page's decision."""

import pytest
from django.urls import reverse

from rights.commitments import COMPANY_NAME, company_signer, person_signer, record_commitment
from rights.factories import COMPANY_USCC, PERSON_ID, PERSON_NAME, company
from xinyong.core.masking import mask_person_name
from xinyong.rights.models import Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitments(clerk, department):
    return {
        "voluntary": record_commitment(clerk, department, type="voluntary", matter="诚信经营"),
        "approval": record_commitment(clerk, department, type="approval", matter="审批事项甲"),
        "person": record_commitment(
            clerk, department, type="repair", signer=person_signer(), matter="申请信用修复"
        ),
    }


def test_list_publishes_voluntary_and_repair_with_persons_masked(client, commitments):
    html = client.get(reverse("portal:commitments")).content.decode()
    assert commitments["voluntary"].number in html and commitments["person"].number in html
    assert commitments["approval"].number not in html and "审批事项甲" not in html
    assert COMPANY_NAME in html and COMPANY_USCC in html
    assert PERSON_NAME not in html and PERSON_ID not in html and PERSON_ID[-4:] not in html
    assert mask_person_name(PERSON_NAME) in html
    only_repair = client.get(reverse("portal:commitments"), {"type": "repair"}).content.decode()
    assert commitments["voluntary"].number not in only_repair


def test_subject_page_shows_its_published_commitments(client, commitments):
    voluntary = commitments["voluntary"]
    html = client.get(reverse("portal:subject", args=[voluntary.subject_id])).content.decode()
    assert 'id="subject-commitments"' in html and voluntary.number in html
    assert commitments["approval"].number not in html
    # A person has no public subject page; the list names it masked, without a link.
    person_url = reverse("portal:subject", args=[commitments["person"].subject_id])
    assert client.get(person_url).status_code == 404
    assert person_url not in client.get(reverse("portal:commitments")).content.decode()


def _form(department, **kwargs):
    signer = company_signer()
    values = {
        "type": "voluntary",
        "department": department.pk,
        "signer_kind": "legal",
        "signer_name": signer.name,
        "signer_code": signer.code,
        "contact_name": "李四",
        "phone": signer.phone,
        "matter": "",
        "email": "",
        "accepted": "on",
    }
    return {**values, **kwargs}


def test_sign_on_the_portal(client, department):
    company()
    page = client.get(reverse("portal:commitment_new")).content.decode()
    assert "信用修复承诺书" in page and "五、" in page
    response = client.post(reverse("portal:commitment_new"), _form(department))
    assert response.status_code == 201
    c = Commitment.objects.get()
    assert c.number in response.content.decode() and c.channel == "portal" and c.is_published
    assert c.number in client.get(reverse("portal:commitments")).content.decode()


def test_portal_form_refusals(client, department, settings):
    url = reverse("portal:commitment_new")
    unknown = client.post(url, _form(department))
    assert unknown.status_code == 422 and "本平台尚无该信用主体" in unknown.content.decode()
    company()
    unchecked = _form(department)
    del unchecked["accepted"]
    assert client.post(url, unchecked).status_code == 400
    wrong = client.post(url, _form(department, signer_code="91110000600037341X"))
    assert wrong.status_code == 422 and "统一社会信用代码" in wrong.content.decode()
    approval = client.post(url, _form(department, type="approval"))
    assert approval.status_code == 400
    settings.XINYONG_OBJECTION_RATE = 3  # the two refused identities above counted
    assert client.post(url, _form(department)).status_code == 201
    limited = client.post(url, _form(department))
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert Commitment.objects.count() == 1


def test_staff_decide_breach_from_the_page(client_as, clerk, other_clerk, commitments):
    c = commitments["voluntary"]
    url = reverse("rights:commitment_detail", args=[c.pk])
    assert client_as(other_clerk).get(url).status_code == 404
    client = client_as(clerk)
    assert c.text_body.splitlines()[0] in client.get(url).content.decode()
    refused = client.post(
        reverse("rights:commitment_decide", args=[c.pk]), {"outcome": "breached", "facts": ""}
    )
    assert refused.status_code == 400
    response = client.post(
        reverse("rights:commitment_decide", args=[c.pk]),
        {"outcome": "breached", "facts": "承诺诚信经营，但因虚假宣传受到处罚"},
        follow=True,
    )
    html = response.content.decode()
    assert "违诺" in html and 'id="breach-record"' in html
    listing = client.get(reverse("rights:commitment_list"), {"status": "breached"}).content.decode()
    assert c.number in listing and commitments["approval"].number not in listing
    assert (
        c.number
        not in client_as(other_clerk).get(reverse("rights:commitment_list")).content.decode()
    )


def test_the_public_list_costs_a_few_queries(
    client, clerk, department, django_assert_max_num_queries
):
    for n in range(15):
        record_commitment(
            clerk, department, type="voluntary", matter=f"承诺{n}", signer=company_signer()
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:commitments"))
    assert response.content.decode().count("承诺") >= 15


def test_staff_look_up_of_a_persons_commitment_is_audited(client_as, clerk, commitments):
    from xinyong.core.models import AuditLog

    c = commitments["person"]
    assert client_as(clerk).get(reverse("rights:commitment_detail", args=[c.pk])).status_code == 200
    assert AuditLog.objects.filter(
        action="subject.view_person", object_id=str(c.subject_id), actor_id=clerk.pk
    ).exists()
