"""专项治理 (issue 16 §6): services (`services`), the upload of targets
(`upload`), rates (`selectors`), the indicators (`indicators.campaigns`)."""
