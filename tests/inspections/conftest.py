import pytest

from .kit import field_setup


@pytest.fixture
def field(city):
    return field_setup(city)


@pytest.fixture
def inspector2(city):
    from tests.factories import person

    return person("inspector2", "inspector", city.office, "钱立新")
