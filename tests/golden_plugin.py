"""`--update-golden`: rewrite the golden files instead of comparing with them.

Registered from tests/conftest.py (`pytest_plugins = ["golden_plugin"]`) so that
the option exists when pytest parses the command line. Setting the environment
variable UNIONFACTS_UPDATE_GOLDEN=1 does the same, for runs where the plugin is
not registered early enough.
"""

from __future__ import annotations

import os

import pytest

OPTION = "--update-golden"
ENV = "UNIONFACTS_UPDATE_GOLDEN"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.json from the current extraction (review the diff!)",
    )


def update_requested(config: pytest.Config) -> bool:
    if os.environ.get(ENV, "") not in ("", "0"):
        return True
    return bool(config.getoption(OPTION, default=False))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the golden files are to be rewritten rather than compared."""
    return update_requested(request.config)
