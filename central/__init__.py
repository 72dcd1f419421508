"""Central reporting for a gobernación: many office servers send their ticket records to one
PostgreSQL database; one dashboard compares offices; monthly open data for citizens.

Office side: ``central.sender`` (a background thread in the office server). Centre side:
``central.app`` (its own FastAPI process), ``central.storage`` (the only PostgreSQL SQL),
``central.service`` (use cases), pure rules in ``central.records``, ``central.catalog``,
``central.figures`` and ``central.opendata``.
"""
