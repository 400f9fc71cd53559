import sys

from ppks.cli import main

sys.exit(main())
