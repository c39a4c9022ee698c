import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from helpers import HAVE_CLANG  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if HAVE_CLANG:
        return
    skip = pytest.mark.skip(reason="clang-22 not installed")
    for it in items:
        if "engine" in str(it.fspath):
            it.add_marker(skip)
