import pytest
from page_world import PASSWORD, build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as a user (through the real login page)."""

    def _login(user, identifier=None):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
