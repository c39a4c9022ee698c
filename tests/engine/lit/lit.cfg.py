import os
import sys

import lit.formats

config.name = "lazycc-engine"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll"]
config.test_source_root = os.path.dirname(__file__)
bindir = os.path.dirname(sys.executable)
config.environment["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
# lit does not pass PYTHONPATH through: without this, lazycc-lazify would import whatever
# lazycc the venv has installed instead of this checkout.
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
config.environment["PYTHONPATH"] = os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH", "")) if p)
config.substitutions.append(("FileCheck", "filecheck"))
