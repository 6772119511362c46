"""The steps of the build graph: data -> notebook runs -> paper, and data -> atlas.

Each module declares one kind of step for the executor (:mod:`analysis.build`):
what it reads, what it publishes and how it writes it. :mod:`analysis.steps.graph`
puts together the steps a command needs.
"""
