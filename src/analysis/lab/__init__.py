"""JupyterLab on ``notebooks/``, set up so that working in it leaves the paper alone."""
