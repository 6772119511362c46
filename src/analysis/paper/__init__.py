"""Stage 4, paper: its numbers, tables and figures from the declared runs, then the render."""

from .build import build_paper

__all__ = ["build_paper"]
