"""No admin for `oversight`: the scheme changes only as a new version through
`services.schemes.scheme_revise` (/staff/oversight/scheme/), the 权力清单 only
by its xlsx import (/staff/oversight/powers/<code>/), the 通报 by its task;
each of those is audited, which an admin form would bypass."""
