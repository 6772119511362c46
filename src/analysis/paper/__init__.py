"""Stage 4, paper: its declarations, its numbers, tables and claims from the declared runs, and the render."""
