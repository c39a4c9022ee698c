import sys

from lazycc.bench.cli import main

sys.exit(main())
