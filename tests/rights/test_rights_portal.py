"""The portal: the guide links to the working form, a person files an
objection on a record's page, the status page (404 for a wrong secret), and
the 异议处理中 mark on the record page while the objection is open."""

import re

from rights.factories import PERSON_ID, PERSON_NAME, person, public_record
from xinyong.rights import services
from xinyong.rights.models import Objection


def test_the_guide_links_to_the_working_pages(client, db):
    page = client.get("/guide/objection/").content.decode()
    assert "即将开通" not in page
    assert 'href="/applications/"' in page
    assert 'href="/search/"' in page


def test_a_person_files_on_the_portal_and_sees_the_mark_come_and_go(
    client, department, xzcf, office_user, clerk
):
    record = public_record(department=department, subject=person())
    detail_url = f"/shuanggongshi/penalties/{record.pk}/"
    page = client.get(detail_url).content.decode()
    assert f'href="/objections/new/?record={record.pk}"' in page
    assert 'id="record-disputed"' not in page

    form = client.get(f"/objections/new/?record={record.pk}")
    assert form.status_code == 200
    data = {
        "record_id": record.pk,
        "applicant_kind": "person",
        "applicant_name": PERSON_NAME,
        "applicant_code": PERSON_ID,
        "applicant_phone": "13800001111",
        "reason": "罚款已缴纳且决定已被撤销",
    }
    wrong = client.post("/objections/new/", {**data, "applicant_name": "李四"})
    assert wrong.status_code == 422
    assert "身份核验未通过" in wrong.content.decode()
    filed = client.post("/objections/new/", data)
    assert filed.status_code == 201
    html = filed.content.decode()
    number = re.search(r'id="filed-number">([^<]+)<', html).group(1)
    secret = re.search(r'id="filed-secret"><code>([^<]+)<', html).group(1)
    o = Objection.objects.get(number=number)

    status = client.post("/applications/", {"number": number, "secret": secret})
    assert status.status_code == 200
    assert "待受理" in status.content.decode()
    assert (
        client.post("/applications/", {"number": number, "secret": "x" + secret}).status_code == 404
    )

    services.objection_accept(actor=office_user, objection=o)
    assert 'id="record-disputed"' in client.get(detail_url).content.decode()
    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(
        actor=clerk, objection=o, outcome="corrected", note="已核实并更正",
        corrections={"处罚内容": "罚款人民币0.3万元"},
    )  # fmt: skip
    services.objection_close(actor=office_user, objection=o, reply="已更正")
    assert 'id="record-disputed"' not in client.get(detail_url).content.decode()
    status = client.post("/applications/", {"number": number, "secret": secret}).content.decode()
    assert "已办结" in status and "已更正" in status


def test_a_record_not_public_has_no_form(client, db):
    assert client.get("/objections/new/?record=999999").status_code == 404
    assert client.get("/objections/new/?record=abc").status_code == 404
