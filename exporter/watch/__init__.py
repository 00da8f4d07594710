"""``exporter watch``: a writer's loop. One warm worker (``serve/pool.py``'s) exports each
article again when it, or an image it uses, changes (``watchfiles``), and each result is
printed as ``exporter build`` prints it; ``--preview`` serves the HTML on loopback and
reloads the browser's page after each export (``preview.py``, server-sent events)."""
