"""python -m rv_dcc runs the rv-dcc command."""
import sys

from rv_dcc.cli import main

sys.exit(main())
