"""The build engine: chapter registry, parameters, runner, cache and lock.

It knows notebooks, not analysis: nothing here imports ``methods``, ``chapters`` or ``page``.
"""
