"""Building the book, one module per job.

- :mod:`.keys`: execution keys (what a chapter's run depends on, hashed): the modules it
  imports (:mod:`.imports`, the static import graph) and the files it declares it reads
  (:mod:`.reads_check`, which also checks a run's reads against the declaration).
- :mod:`.plan`: validation before any kernel, each chapter's parameters, what must run.
- :mod:`.lastrun`: the parameters the main book's chapters were last run with.
- :mod:`.execute`: one chapter in a kernel through papermill (executing, then keeping the
  result); :mod:`.pool`: worker processes; :mod:`.run`: the jobs of a plan, in parallel;
  :mod:`.progress`: their lines.
- :mod:`.executors`: where chapters run (``--executor``, ``--scheduler``);
  :mod:`.dask_executor`: on Dask, with the book's inputs shipped by :mod:`.dask_inputs`.
- :mod:`.books`: the executed books, filled from :mod:`.cache`.
- :mod:`.site`: the HTML site (Jupyter Book) and its atomic swap.
- :mod:`.manifest`: what a published site holds, file by file, checked on every build.
- :mod:`.orchestrate`: a whole book, start to finish; :mod:`.lock`: one build at a time.
"""
