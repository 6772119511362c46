"""``python -m analysis``: see :mod:`analysis.cli`."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the library is still loading
    print("error: interrupted (Ctrl-C) before anything was written", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
