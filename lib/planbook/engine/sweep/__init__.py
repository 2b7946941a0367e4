"""Parameter sweeps: run one chapter at many points, tabulate its key numbers, rank effects.

``planbook sweep CHAPTER --grid name=v1,v2 ...`` runs a full factorial grid;
``--sample N --range name=low:high ...`` a Latin hypercube over typed ranges. Every point
is validated like ``planbook run --set`` before any kernel starts and goes through the
execution cache, so a point already run costs nothing and a rerun resumes.

- :mod:`.points`: the ``--grid`` / ``--range`` flags and the points they give (pure).
- :mod:`.table`: one tidy table, a row per point and glued number (pure), and its file.
- :mod:`.sensitivity`: how much each number moves with each parameter (pure).
- :mod:`.report`: the sensitivity page (HTML with an embedded heat map).
- :mod:`.progress`: the one progress line on stderr.
- :mod:`.run`: the points' execution keys, their execution, their glued values.
"""
