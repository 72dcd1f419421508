"""Security rules kept apart from the use cases they guard: sign-in throttling, live
connection limits, what each role may see, the survey capability and a clerk's data scope.

Every module here is plain Python (no fastapi, no sqlite): the callers pass in what the rule
needs and act on the answer.
"""
