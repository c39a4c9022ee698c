import sys

from lazycc.cli import main

sys.exit(main())
