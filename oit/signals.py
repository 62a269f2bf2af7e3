"""What the OIT register tells the apps above it (the notifications), without importing them."""

from django.dispatch import Signal

# Sent when a register's link check has finished: organisation (id), year (BE), job_id.
register_checked = Signal()
