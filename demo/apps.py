from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city: its units, people, reference data, tasks, inspections, evidence and photos.
    Only ``seed_demo`` (run.sh) and the tests use it."""

    name = "demo"
    verbose_name = "演示数据"
