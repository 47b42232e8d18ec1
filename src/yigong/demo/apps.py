from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data builders; an app only so that `manage seed_scale` is found."""

    name = "yigong.demo"
    label = "demo"
