"""The exchange keeps no reference data for the admin: its pages are under /staff/exchange/."""
