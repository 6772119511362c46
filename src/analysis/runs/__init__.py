"""Stage 3, runs: the notebooks, their parameters, and executing one run in a kernel of this interpreter."""
