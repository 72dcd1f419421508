"""Statistics, exports, the satisfaction survey and the optional characterization questions.

Pure rules (``indicators``, ``query``, ``survey``, ``characterization``, ``tables``) import
nothing but the standard library and the queue model; SQL lives in ``server/storage``; the
service layer (``service``, ``feedback``) joins them; routes in ``server/api``.
"""
