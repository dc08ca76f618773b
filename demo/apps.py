from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only: the demo world and the national-scale dataset.

    Installed when DEBUG is on or DEMO_DATA is set (the test suite sets it); production does
    not load it, so `seed_demo` and `seed_scale` do not exist there.
    """

    name = "demo"
    verbose_name = "Demo world and scale dataset (development only)"
