"""Row validation compiled from a catalog version's schema.

`RowValidator.validate(cells)` applies every rule of the item's fields and
the identifier checks of `core.identifiers`, and returns either the
canonical record content or every error of the row (field, value, reason).
It runs a million times per large import: rules are compiled once, and
identifier checks of repeated codes (agencies, data sources) are cached.
"""

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core import identifiers
from xinyong.core.masking import mask_id_number
from xinyong.core.text import storable
from xinyong.ingest.values import (
    ValueProblem,
    check_characters,
    clean_text,
    decimal_text,
    parse_date,
    parse_decimal,
)
from xinyong.records.disclosure.rules import split_categories
from xinyong.subjects.services import SubjectCandidate

SUBJECT_KINDS = {
    "法人及非法人组织": "legal",
    "法人和非法人组织": "legal",
    "法人": "legal",
    "非法人组织": "legal",
    "自然人": "person",
    "个体工商户": "individual_business",
}
RESIDENT_ID_TYPES = {"身份证", "居民身份证", "01"}
_LEGACY_ROLES = {
    "subject_registration": "registration_number",
    "subject_organization": "organization_code",
    "subject_tax": "tax_number",
    "subject_institution": "institution_cert",
    "subject_social_org": "social_org_cert",
}
_SUBJECT_CODE_ROLES = frozenset({"subject_uscc", *_LEGACY_ROLES})
# Code-list fields that may carry several values of their list (one decision,
# several 处罚类别: `警告;罚款`, `警告、罚款`, `警告，罚款`).
MULTI_VALUE_FIELDS = frozenset({"penalty_category"})
_MULTI_SEPARATORS = re.compile(r"[;；、，,]")
_CHECKERS = {
    "uscc": identifiers.check_uscc,
    "resident_id": identifiers.check_resident_id,
    "registration_number": identifiers.check_registration_number,
    "organization_code": identifiers.check_organization_code,
    "any": identifiers.check_code,
}


@dataclass(slots=True)
class RowResult:
    ok: bool
    errors: list[dict]
    # For the plan's 重错码率: the row names its subject by a code, and that
    # code is wrong (an invalid USCC or legacy code of the subject).
    coded: bool = False
    wrong_code: bool = False
    data: dict = field(default_factory=dict)
    content_hash: str = ""
    record_key: str = ""
    doc_number: str = ""
    decision_date: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    subject: SubjectCandidate | None = None
    # Consistency warnings (`consistency_warnings`): the row is accepted; each
    # {"field", "value", "message"} says in Chinese what looks wrong.
    warnings: list[dict] = field(default_factory=list)


# Per-field memo of parsed values: dates, amounts, code-list values and codes
# of agencies repeat across a file, so each distinct text is parsed once.
_MEMO_LIMIT = 20_000
_MISSING = object()

# `(raw cell, its trimmed text) -> (stored text, typed value)`, raising ValueProblem.
Parser = Callable[[object, str], tuple[str, object]]


class _Rule:
    """One field, compiled: its column, how to parse it, and a memo."""

    __slots__ = ("column", "key", "label", "masking", "memo", "parse", "required", "role")

    def __init__(self, column: int, spec: dict, parse: Parser | None, memo: bool):
        self.column = column
        self.key = spec["key"]
        self.label = spec["label"]
        self.role = spec.get("role") or ""
        self.required = bool(spec.get("required"))
        self.masking = spec.get("masking") or ""
        self.parse = parse
        self.memo: dict | None = {} if memo else None


# -- consistency between fields (issue 12 item 9) ------------------------------------

# USCC registration-authority + kind codes (GB 32100-2015 table 1): 9 工商,
# 91 企业, 92 个体工商户, 93 农民专业合作社.
_USCC_KIND_NAMES = {"91": "企业", "92": "个体工商户", "93": "农民专业合作社"}
_KIND_TEXTS = {"legal": "法人及非法人组织", "person": "自然人", "individual_business": "个体工商户"}
# 处罚类别 that only a natural person can receive: 行政拘留 (行政处罚法 art. 9;
# 治安管理处罚法: detention restricts personal liberty).
PERSON_ONLY_CATEGORIES = frozenset({"行政拘留"})


def consistency_errors(data: dict, kind: str) -> list[dict]:
    """Contradictions the law rules out, rejecting the row: a category that
    only a person can receive (行政拘留) given to an organisation or a
    个体工商户. `data`: the row's values by field key; `kind`: the subject kind."""
    errors: list[dict] = []
    category = str(data.get("penalty_category") or "")
    if category and kind != "person":
        for name in sorted(set(split_categories(category)) & PERSON_ONLY_CATEGORIES):
            errors.append(
                {
                    "field": "处罚类别",
                    "value": category,
                    "message": _("“%(c)s”只能对自然人作出，行政相对人类别不是自然人") % {"c": name},
                }
            )
    return errors


def consistency_warnings(kind_text: str, uscc: str) -> list[dict]:
    """What looks wrong but the row stays accepted: the declared 行政相对人类别
    against the kind the USCC encodes (91… is an enterprise, 92… a 个体工商户)."""
    warnings: list[dict] = []
    prefix = uscc[:2]
    declared = SUBJECT_KINDS.get(kind_text)
    if not declared or len(uscc) != 18:
        return warnings
    # Only 92… is a 个体工商户; every other USCC names an organisation.
    expected = "individual_business" if prefix == "92" else "legal"
    if declared != expected:
        warnings.append(
            {
                "field": "行政相对人类别",
                "value": kind_text,
                "message": _(
                    "统一社会信用代码 %(code)s 以“%(prefix)s”开头，是%(coded)s的代码，"
                    "与行政相对人类别“%(kind)s”不一致，请核对"
                )
                % {
                    "code": uscc,
                    "prefix": prefix,
                    "coded": _USCC_KIND_NAMES.get(prefix, _KIND_TEXTS[expected]),
                    "kind": kind_text,
                },
            }
        )
    return warnings


def _all_in_code_list(text: str, choices: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    """Whether `text` is several values of the code list (`警告;罚款`); text
    after a prefixed value (`其他-…`) belongs to it."""
    parts = [p.strip() for p in _MULTI_SEPARATORS.split(text)]
    if len(parts) < 2 or not parts[0]:
        return False
    in_prefixed = False
    for part in parts:
        if part in choices:
            in_prefixed = False
        elif prefixes and part.startswith(prefixes):
            in_prefixed = True
        elif not (in_prefixed and part):
            return False
    return True


class RowValidator:
    def __init__(self, schema: dict, columns: list[tuple[int, dict]], *, today: dt.date):
        self.schema = schema
        self.today = today
        self._code_cache: dict[tuple[str, str], object] = {}
        self.rules = [self._compile(column, spec) for column, spec in columns]
        self._plan = [
            (
                rule.column,
                rule.key,
                rule.label,
                rule.role,
                rule.required,
                rule.parse,
                rule.memo,
                rule.role in _SUBJECT_CODE_ROLES,
            )
            for rule in self.rules
        ]
        self._masked = [rule.key for rule in self.rules if rule.masking == "id_number"]
        # The content hash runs over the fields in key order, whatever the
        # order of the file's columns.
        self._hash_keys = sorted(rule.key for rule in self.rules)
        present_roles = {rule.role for rule in self.rules}
        self._legacy_roles = [(r, c) for r, c in _LEGACY_ROLES.items() if r in present_roles]
        self._labels = {rule.role: rule.label for rule in self.rules if rule.role}

    def _check_code(self, kind: str, value: str):
        key = (kind, value)
        result = self._code_cache.get(key)
        if result is None:
            result = _CHECKERS.get(kind, identifiers.check_code)(value)
            if len(self._code_cache) < 50_000:
                self._code_cache[key] = result
        return result

    def _compile(self, column: int, spec: dict) -> _Rule:
        """A parser `(raw, text) -> (stored value, typed value)` raising ValueProblem,
        or None for free text that only needs trimming."""
        kind = spec["type"]
        role = spec.get("role") or ""
        if kind == "date":
            today = self.today
            future_refused = role == "decision_date"

            def parse(raw: object, text: str) -> tuple[str, object]:
                day = parse_date(raw)
                if future_refused and day > today:
                    raise ValueProblem(
                        _("“%(v)s”晚于今天（%(today)s），决定日期不能在将来")
                        % {"v": text, "today": today.isoformat()}
                    )
                if day.year < 1949:
                    raise ValueProblem(_("“%(v)s”早于1949年，请核对") % {"v": text})
                return day.isoformat(), day

            return _Rule(column, spec, parse, memo=True)
        if kind == "decimal":

            def parse(raw: object, text: str) -> tuple[str, object]:
                value = decimal_text(parse_decimal(raw))
                return value, value

            return _Rule(column, spec, parse, memo=True)
        if kind == "identifier":
            checker_kind = spec.get("identifier_kind") or "any"

            def parse(raw: object, text: str) -> tuple[str, object]:
                result = self._check_code(checker_kind, text)
                if not result.valid:
                    raise ValueProblem("；".join(result.errors))
                return result.normalized, result.normalized

            # Subjects' own codes rarely repeat; agencies' codes repeat a lot
            # (and `_check_code` caches those anyway).
            return _Rule(column, spec, parse, memo=False)
        max_length = spec.get("max_length")
        pattern = re.compile(spec["pattern"]) if spec.get("pattern") else None
        choices = frozenset(spec.get("choices") or ()) if kind == "code_list" else None
        prefixes = tuple(spec.get("choice_prefixes") or ())
        multiple = spec["key"] in MULTI_VALUE_FIELDS
        if not (max_length or pattern or choices is not None):
            return _Rule(column, spec, None, memo=False)

        def parse_text(raw: object, text: str) -> tuple[str, str]:
            if max_length and len(text) > max_length:
                raise ValueProblem(
                    _("长度为 %(n)d 个字符，超过上限 %(max)d") % {"n": len(text), "max": max_length}
                )
            if choices is not None and text not in choices:
                if not (prefixes and text.startswith(prefixes)) and not (
                    multiple and _all_in_code_list(text, choices, prefixes)
                ):
                    shown = "、".join(sorted(choices)[:12])
                    raise ValueProblem(
                        _("“%(v)s”不在代码表中，可选：%(choices)s") % {"v": text, "choices": shown}
                    )
            if pattern is not None and not pattern.search(text):
                raise ValueProblem(_("“%(v)s”格式不正确") % {"v": text})
            return text, text

        return _Rule(column, spec, parse_text, memo=choices is not None)

    def validate(self, cells: Sequence[object]) -> RowResult:
        errors: list[dict] = []
        data: dict[str, str] = {}
        roles: dict[str, object] = {}
        width = len(cells)
        coded = wrong_code = False
        # The rules as plain tuples: local names are the cheapest to read in a
        # loop run some twenty million times by a large import.
        for column, key, label, role, required, parse, memo, code_role in self._plan:
            raw = cells[column] if column < width else None
            if raw.__class__ is str:
                text = raw.strip()  # type: ignore[attr-defined]  # a str: the class test above
                if text and text[0] in "\u200b\ufeff":
                    text = clean_text(text)
            else:
                text = clean_text(raw)
            if not text:
                if required:
                    errors.append({"field": label, "value": "", "message": _("必填项为空")})
                continue
            if code_role:
                coded = True
            if not text.isprintable():  # the common case skips the call (hot loop)
                try:
                    check_characters(text)
                except ValueProblem as problem:
                    errors.append(
                        {"field": label, "value": storable(text), "message": str(problem)}
                    )
                    continue
            if parse is None:
                data[key] = text
                if role:
                    roles[role] = text
                continue
            # A str (the row's error message) or (stored value, typed value): told apart
            # by their class, the cheapest test in this loop.
            hit: Any = (
                memo.get(text, _MISSING) if memo is not None and raw.__class__ is str else _MISSING
            )
            if hit is _MISSING:
                try:
                    hit = parse(raw, text)
                except ValueProblem as problem:
                    hit = str(problem)
                if memo is not None and raw.__class__ is str and len(memo) < _MEMO_LIMIT:
                    memo[text] = hit
            if hit.__class__ is str:
                errors.append({"field": label, "value": text, "message": hit})
                if code_role:
                    wrong_code = True
                continue
            data[key] = hit[0]
            if role:
                roles[role] = hit[1]
        if errors:
            return RowResult(False, errors, coded=coded, wrong_code=wrong_code)
        result = self._finish(data, roles)
        result.coded = coded
        return result

    def _finish(self, data: dict, roles: dict) -> RowResult:
        errors: list[dict] = []
        labels = self._labels

        def fail(role: str, message: str, value: str = "") -> None:
            errors.append({"field": labels.get(role, role), "value": value, "message": message})

        kind_text = roles.get("subject_kind")
        uscc = roles.get("subject_uscc", "")
        legacy = dict.fromkeys(_LEGACY_ROLES.values(), "")
        for role, code in self._legacy_roles:
            legacy[code] = roles.get(role, "")
        id_type = roles.get("subject_id_type", "")
        id_number = roles.get("subject_id_number", "")
        if kind_text is not None:
            kind = SUBJECT_KINDS.get(str(kind_text), "")
            if not kind:
                fail(
                    "subject_kind",
                    _("“%(v)s”不是有效的主体类别") % {"v": kind_text},
                    str(kind_text),
                )
        elif uscc:
            kind = "individual_business" if str(uscc).startswith("92") else "legal"
        elif id_number:
            kind = "person"
        else:
            kind = "legal"

        if id_number and (id_type in RESIDENT_ID_TYPES or (not id_type and kind == "person")):
            check = self._check_code("resident_id", str(id_number))
            if not check.valid:
                fail("subject_id_number", "；".join(check.errors), str(id_number))
            else:
                id_number = check.normalized
        if kind == "legal" and not uscc and not any(legacy.values()):
            fail(
                "subject_uscc",
                _("法人及非法人组织须填写统一社会信用代码（或工商注册号、组织机构代码等）"),
            )
        if kind == "person" and not id_number:
            fail("subject_id_number", _("自然人须填写证件类型和证件号码"))
        if kind == "individual_business" and not (
            uscc or legacy["registration_number"] or id_number
        ):
            fail("subject_uscc", _("个体工商户须填写统一社会信用代码、工商注册号或经营者证件号码"))
        valid_from, valid_to = roles.get("valid_from"), roles.get("valid_to")
        if (
            isinstance(valid_from, dt.date)
            and isinstance(valid_to, dt.date)
            and valid_to < valid_from
        ):
            fail(
                "valid_to",
                _("有效期至（%(to)s）早于有效期自（%(frm)s）")
                % {"to": valid_to, "frm": valid_from},
            )
        errors.extend(consistency_errors(data, kind))
        if errors:
            return RowResult(False, errors)
        warnings = consistency_warnings(str(kind_text or ""), str(uscc or ""))

        # The content hash is taken over the clear values, so that a corrected
        # ID number is a new revision; the stored content keeps it masked.
        canonical = "\x1f".join([f"{k}\x1e{data[k]}" for k in self._hash_keys if k in data])
        content_hash = hashlib.sha256(canonical.encode()).hexdigest()
        for key in self._masked:
            if key in data:
                data[key] = mask_id_number(data[key])
        decision = roles.get("decision_date")
        return RowResult(
            True,
            [],
            data=data,
            content_hash=content_hash,
            doc_number=str(roles.get("doc_number", "")),
            decision_date=decision if isinstance(decision, dt.date) else None,
            valid_from=valid_from if isinstance(valid_from, dt.date) else None,
            valid_to=valid_to if isinstance(valid_to, dt.date) else None,
            subject=SubjectCandidate(
                kind=kind,
                name=str(roles.get("subject_name", "")),
                uscc=str(uscc or ""),
                id_number=str(id_number or "") if kind != "legal" else "",
                **{code: str(value or "") for code, value in legacy.items()},
            ),
            warnings=warnings,
        )
