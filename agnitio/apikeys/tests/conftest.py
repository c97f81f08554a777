import pytest


@pytest.fixture
def bearer():
    def _header(secret: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return _header
