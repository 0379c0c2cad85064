"""No admin for `rights` yet: objections change only through their services
(the staff pages under /staff/rights/), and the deadlines are settings
(`XINYONG_OBJECTION_*_WORKDAYS`). Reference data of later slices (commitment
texts, repair rules) will be registered here."""
