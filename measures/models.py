"""Measure templates, measure plans, review and approval, progress tracking (later issues)."""
