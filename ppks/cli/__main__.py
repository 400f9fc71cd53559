import sys

from ppks.cli import run

sys.exit(run())
