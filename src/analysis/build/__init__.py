"""The build system: one notion of a step, and one executor that runs every step.

A :class:`~analysis.build.step.Step` declares what it reads (files, parameters,
code, environment, interpreter), what it publishes, and a function that writes
its outputs into a staging folder. :class:`~analysis.build.executor.Executor`
alone holds the lock, stages, checks, publishes, fingerprints and skips,
enforces timeouts, recovers from Ctrl-C and kills, and reports progress. The
steps themselves are in :mod:`analysis.steps`.
"""
