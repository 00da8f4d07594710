"""Distribution and deposit: the OPDS catalog of an output folder, and a BagIt bag of each
article in it.

Runs after the exports, in the driver, from what the folder's manifest records and what the
outputs hold, so it covers every article in the folder, those exported by earlier runs
included. Each file is rewritten only when its bytes change (``writing.py``): a run with
nothing changed rewrites nothing. The steps are in ``publish.py`` (``write_catalog``,
``write_bags``), the name of every file they write in ``files.py``.
"""
