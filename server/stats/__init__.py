"""The statistics pages (``pages.py``). The rest of statistics lives by layer: pure rules in
``server/queue`` (``indicators``, ``stats_query``, ``stats_tables``, ``survey``,
``characterization``), SQL in ``server/storage/stats.py``, use cases and file export in
``server/services`` (``statistics``, ``export``, ``survey``), routes in ``server/api``.
"""
