"""Stage 2b, figures: the analyses' charts (drawn alike by the notebooks and the atlas), and PNG encoding."""
