from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "kyodo.centers"
    label = "centers"
    verbose_name = _("Centers")
