"""Shared fixtures."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # so tests can `from localserver import Response`

from localserver import LocalServer  # noqa: E402


@pytest.fixture
def local_server():
    """A fresh threaded HTTP server on 127.0.0.1 (random port); add routes with `.route(path, ...)`."""
    with LocalServer() as srv:
        yield srv
