from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "kyodo.ui"
    label = "ui"
    verbose_name = "UI components"
