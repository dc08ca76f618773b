from django.apps import AppConfig


class MappaConfig(AppConfig):
    name = "mappa"
    verbose_name = "MAPPA: areas, organisations, people and bodies"

    def ready(self):
        from mappa import generation

        # Anything kept in the cache that was counted from the records goes out of date on a write (generation).
        generation.connect()
        # A one-time form token changes nothing counted.
        generation.watch(self.label, ignoring={"submission"})
