"""What the apps above assessments may act on without assessments importing them.

``framework_changed`` is sent by ``services.framework_load`` inside its transaction, with the
``fiscal_year`` and the ``changes`` (items whose wording changed); a receiver returns lines (Thai)
for whoever loaded the framework, e.g. measures flags the templates to review and names them.
"""

from django.dispatch import Signal

framework_changed = Signal()
