"""``exporter serve``: a warm publishing service. An HTTP API (``app.py``) takes an article
and gives back its PDF, EPUB and HTML, exported by warm worker processes (``pool.py``,
``worker.py``) through ``build.export_one``, the one export path; jobs in folders of their
own (``jobs.py``), uploads unpacked with care (``uploads.py``), limits, a token (``auth.py``),
Prometheus metrics (``metrics.py``), an Arabic web page (``page.py``), and Dask
(``remote.py``). Nothing is imported with the package: the command line's parser reads
only ``command.py``."""
