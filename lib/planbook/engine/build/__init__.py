"""Building the book, one module per job.

- :mod:`.keys`: execution keys (what a chapter's run depends on, hashed).
- :mod:`.plan`: validation before any kernel, each chapter's parameters, what must run.
- :mod:`.lastrun`: the parameters the main book's chapters were last run with.
- :mod:`.execute`: one chapter in a kernel through papermill; :mod:`.pool`: worker
  processes; :mod:`.run`: the jobs of a plan, in parallel; :mod:`.progress`: their lines.
- :mod:`.books`: the executed books, filled from :mod:`.cache`.
- :mod:`.site`: the HTML site (Jupyter Book) and its atomic swap.
- :mod:`.manifest`: what a published site holds, file by file, checked on every build.
- :mod:`.orchestrate`: a whole book, start to finish; :mod:`.lock`: one build at a time.
"""
