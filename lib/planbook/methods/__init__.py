"""Analysis methods that know no chapter: arithmetic, forecasts, the audit, models."""
