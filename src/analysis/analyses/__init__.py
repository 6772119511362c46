"""Stage 2, analyses: the computations behind the notebooks (snapshot, comparison, sensitivity)."""
