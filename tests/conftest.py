import pytest


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default language unless they ask for another."""
    settings.LANGUAGE_CODE = "zh-hans"
    return settings
