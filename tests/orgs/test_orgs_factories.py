from orgs.factories import (
    TEST_PASSWORD,
    ApiTokenFactory,
    ClerkFactory,
    CreditAdminFactory,
    OfficerFactory,
)
from xinyong.orgs.models import Department, User
from xinyong.orgs.services import api_token_authenticate


def test_users_per_role(db):
    admin, clerk, officer = CreditAdminFactory(), ClerkFactory(), OfficerFactory()
    assert admin.is_credit_office and admin.department.kind == Department.Kind.CREDIT_OFFICE
    assert (clerk.role, officer.role) == (User.Role.CLERK, User.Role.OFFICER)
    assert not clerk.is_credit_office and clerk.department != officer.department
    assert clerk.check_password(TEST_PASSWORD)


def test_token_authenticates_with_its_secret(db):
    token = ApiTokenFactory()
    assert api_token_authenticate(token.secret) == token
    assert api_token_authenticate(token.secret + "x") is None
