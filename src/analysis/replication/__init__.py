"""Stage 5, replication: a committed reference of the results, and a rebuild compared with it.

The flow: :mod:`~.rebuild` (a clean build in a scratch copy) -> :mod:`~.results`
(what a build produced: files, values, figure signatures, text) ->
:mod:`~.reference` (written to and read from ``reference/``) ->
:mod:`~.compare` (one verdict per exhibit, within the tolerances of
:mod:`~.numbers` and :mod:`~.pixels`) -> :mod:`~.report` (Markdown and HTML in
``results/replication/``). :mod:`~.commands` runs them for
``python -m analysis reference`` and ``reproduce``. Nothing here is imported by
the earlier stages.
"""
