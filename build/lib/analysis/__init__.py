"""Load, check and clean the published indicators on modern slavery in North Korea.

Start with :func:`analysis.processed.write_processed` (``python -m analysis data``)
and :func:`analysis.processed.read_processed`; see README.md for the whole build.
"""

__version__ = "0.1.0"
