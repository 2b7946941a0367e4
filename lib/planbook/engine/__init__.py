"""The build engine: chapter registry, parameters, and the build (:mod:`.build`).

It knows notebooks, not analysis: nothing here imports ``methods``, ``chapters`` or ``page``.
"""
