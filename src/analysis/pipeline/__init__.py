"""Stage 3, pipeline: which notebook runs with which parameters, executing them, and their records."""
