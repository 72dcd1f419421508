"""The queue rules: plain Python, no database, HTTP, device or UI imports.

Everything here is a pure function or a small immutable value, so the rules can be read,
tested (including property-based tests) and explained on their own. Storage, HTTP and
websockets are adapters around this package.
"""
