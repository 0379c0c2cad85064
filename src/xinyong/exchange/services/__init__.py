"""Writes of the exchange, by responsibility:

- `collect`: the 双公示 changes and new subjects' codes into the outbox;
- `delivery`: sending the outbox (service mode), retries, dead letters, retry by staff;
- `inbound`: pulling the province's feeds and applying them through lists' services;
- `reconcile`: the daily comparison with the province's receipts.
"""
