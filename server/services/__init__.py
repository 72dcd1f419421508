"""The service layer: one module per family of use cases, each a small class that takes its
dependencies in the constructor (built once in ``server/bootstrap.py``).

- ``office``: the office as every use case sees it (configuration, clock, shared views/checks)
- ``ticketing``: issuing and the ticket cycle (recall, start, finish, transfer, day close)
- ``desk``: calling and counters (call next, call one, pause, resume, sign a clerk in)
- ``reading``: reading and live views (ticket, history, queue, snapshot, one phone's ticket)
- ``admin``: office administration (configuration edits, guarded user changes)
- ``accounts``: users, sessions and device tokens
- ``statistics``: indicators, the live view's numbers and exports (``export`` writes files)
- ``survey``: the satisfaction survey
- ``hardware``: hardware bridges (serial call buttons, LED displays): status and alerts

A route parses, calls ONE method here, and returns; the CLI calls the same methods.
"""
