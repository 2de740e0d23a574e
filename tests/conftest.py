"""Shared fixtures."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # so tests can `from localserver import Response`

# Tests (and the subprocesses they start) keep the rule cache out of the user's ~/.cache.
if "EXTRACTOR_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["EXTRACTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="extractor-test-cache-")

from localserver import LocalServer  # noqa: E402


@pytest.fixture
def local_server():
    """A fresh threaded HTTP server on 127.0.0.1 (random port); add routes with `.route(path, ...)`."""
    with LocalServer() as srv:
        yield srv
