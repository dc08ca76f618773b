from django.apps import AppConfig


class MappaConfig(AppConfig):
    name = "mappa"
    verbose_name = "MAPPA: areas, organisations, people and bodies"
