from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "drafting"
    verbose_name = "Drafting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import search, signals  # noqa: F401  (connect the search index's writer and the sign-in audit receivers)
