from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The overseers' pages across organisations: the dashboard (results by province, type and
    size, over the years, what falls most often below target, risers and fallers) and "did the
    measures work?". Above measures and reports (it reads plans and draws with reports.charts);
    the statistics themselves are assessments.analytics (pure pandas)."""

    name = "insights"
    verbose_name = "ภาพรวมหลายหน่วยงาน"
