"""Stage 1, data: check the cited raw files and clean them into ``data/processed/``."""
