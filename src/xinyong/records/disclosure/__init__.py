"""Disclosure windows: when a record must be public, when it went public,
and when its publication ends.

The law, as encoded here (DOMAIN.md §2–3):

- 发改办财金〔2018〕424号: 行政许可 and 行政处罚 go online within 7 working
  days of the decision (the item's `publish_within_workdays`), counted with
  `core.workdays` — the day of the decision is not counted (行政许可法 art.
  82, 行政处罚法 art. 85), so 2025-09-30 → 2025-10-16.
- Penalties stay public for a period set by a *rule set*
  (`DisclosureRuleSet`, data the credit office edits): since 2026-04-01
  《信用修复管理办法》(国家发展改革委令第36号) — 轻微 not published in
  principle (at most 3 months where published), 一般 3 months–1 year,
  严重 1–3 years, counted from the decision; before it 发改办财金〔2019〕527号
  (一般 3 months–1 year, 严重 6 months–3 years); 市场监管总局令第45号 for the
  departments it is attached to (art. 13: 通报批评 or 较低数额罚款 3 months,
  others 3 years, counted from publication; art. 2: 警告 alone is not
  published). The maximum ends publication automatically. 令第45号 ships
  attached to no department: it governs the 国家企业信用信息公示系统, and on
  this credit website the NDRC sets govern (docs/data-formats.md).
- The tier: a 失信程度 stated by the department wins; else inferred from the
  categories (several per decision, the most severe wins; pre-2021 names read
  as the 2021 ones, 处罚内容 deciding 暂扣 or 吊销).
- A licence stays public while it is valid: its end is the licence's
  valid_to (`2099-12-31` = 长期); this is what an item without a rule set
  gets. A licence whose 当前状态 becomes 撤销/注销 ends on the day of the
  change; 纳税信用A级 ends a year after its list; 失信被执行人 has no end (至法院移除).

The modules:

- `rules`: a rule set's `rules` JSON, its checks (`rules_problems`), its
  parsed form (`Rules`), and which rule set applies to a decision (`RuleBook`);
- `windows`: computing one record's window (`WindowComputer`, the one place
  where the rules are applied) and the month arithmetic of 民法典 art. 201–202;
- `store`: computing the windows of stored records (a batch, or what
  `xinyong daily` finds without one) in chunks and writing them back in bulk;
- `daily`: the daily publication and expiry, a few set-based UPDATEs chosen
  by state and date through partial indexes;
- `builtin`: the shipped rule sets.
"""

from xinyong.records.disclosure.builtin import load_builtin_rule_sets
from xinyong.records.disclosure.daily import expire, publish
from xinyong.records.disclosure.rules import rules_problems
from xinyong.records.disclosure.store import fill_batch, fill_uncomputed
from xinyong.records.disclosure.windows import (
    NO_RULE,
    VALIDITY,
    WINDOW_COLUMNS,
    StepCounts,
    WindowComputer,
)

# What code outside the package uses.
__all__ = [
    "NO_RULE",
    "VALIDITY",
    "WINDOW_COLUMNS",
    "StepCounts",
    "WindowComputer",
    "expire",
    "fill_batch",
    "fill_uncomputed",
    "load_builtin_rule_sets",
    "publish",
    "rules_problems",
]
