import pytest

from annotate.api import services as token_services


@pytest.fixture
def api(client, users):
    """A client authenticating as `name` with a fresh personal token."""

    def as_user(name):
        token, raw = token_services.create_token(users[name], "test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_user
