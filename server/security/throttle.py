"""Sign-in throttling that slows a guesser down without letting anyone lock a colleague out.

Two rules, both checked and counted BEFORE the password is hashed (argon2 costs ~0.1 s of CPU,
so a refused attempt must cost nothing):

* per (user name, address): the first ``free_failures`` failures are free; after that each
  further attempt must wait a delay that doubles per failure (1 s, 2 s, 4 s … up to
  ``max_delay_s``). Failures elsewhere (another address) do not slow this pair down, so five
  wrong passwords for ``ventanilla3`` typed on another machine never lock the real clerk out.
* per address, whatever the name: a token bucket of ``address_burst`` attempts refilled at
  ``address_rate_per_s``. It bounds the hashing one address can cause (made-up names
  included) and, when exceeded, asks for a wait of seconds, not minutes, so the colleagues
  behind the same office NAT are slowed, never shut out.

An attempt is counted as a failure when it is admitted; a success gives it back. Since
``admit`` runs on the event loop without awaiting, N concurrent attempts are admitted one by
one: 200 simultaneous wrong passwords run ``free_failures`` hashes, not 200.

A supervisor can ``unlock`` a user (every address). Entries are forgotten ``forget_after_s``
after their last failure, and the tables are pruned so memory stays bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 5
    base_delay_s: float = 1.0
    max_delay_s: float = 300.0
    address_burst: int = 30
    address_rate_per_s: float = 0.5
    forget_after_s: float = 15 * 60
    max_entries: int = 10_000


@dataclass
class _Pair:
    failures: int = 0
    last: float = 0.0


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class Admission:
    """The answer to one attempt: ``wait_s == 0`` means go ahead and check the password."""

    wait_s: float
    reason: str = ""

    @property
    def admitted(self) -> bool:
        return self.wait_s <= 0


def pair_delay(policy: ThrottlePolicy, failures: int) -> float:
    """Seconds a (user, address) pair must wait after its last failure."""
    if failures < policy.free_failures:
        return 0.0
    return float(min(policy.max_delay_s,
                     policy.base_delay_s * 2 ** (failures - policy.free_failures)))


@dataclass
class LoginThrottle:
    policy: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    clock: Callable[[], float] = time.monotonic
    _pairs: dict[tuple[str, str], _Pair] = field(default_factory=dict)
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def admit(self, username: str, address: str) -> Admission:
        """Decide on one attempt and, if admitted, count it as a failure until
        ``succeeded`` says otherwise."""
        now = self.clock()
        key = (username.lower(), address)
        pair = self._pairs.get(key)
        if pair is not None and now - pair.last > self.policy.forget_after_s:
            pair = None
            del self._pairs[key]
        if pair is not None:
            wait = pair.last + pair_delay(self.policy, pair.failures) - now
            if wait > 0:
                return Admission(wait, "user")
        bucket = self._bucket(address, now)
        if bucket.tokens < 1:
            return Admission((1 - bucket.tokens) / self.policy.address_rate_per_s, "address")
        bucket.tokens -= 1
        if pair is None:
            self._prune(now)
            pair = self._pairs[key] = _Pair()
        pair.failures += 1
        pair.last = now
        return Admission(0.0)

    def succeeded(self, username: str, address: str) -> None:
        """The password was right: forget the pair's failures and give the token back."""
        self._pairs.pop((username.lower(), address), None)
        bucket = self._buckets.get(address)
        if bucket is not None:
            bucket.tokens = min(float(self.policy.address_burst), bucket.tokens + 1)

    def unlock(self, username: str) -> int:
        """A supervisor lifts the delays on a user name from every address; returns how many
        addresses were affected."""
        name = username.lower()
        keys = [k for k in self._pairs if k[0] == name]
        for k in keys:
            del self._pairs[k]
        return len(keys)

    def failures(self, username: str, address: str) -> int:
        pair = self._pairs.get((username.lower(), address))
        return pair.failures if pair else 0

    def _bucket(self, address: str, now: float) -> _Bucket:
        p = self.policy
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= p.max_entries:
                full = [a for a, b in self._buckets.items()
                        if b.tokens + (now - b.at) * p.address_rate_per_s >= p.address_burst]
                for a in full:
                    del self._buckets[a]
            bucket = self._buckets[address] = _Bucket(float(p.address_burst), now)
            return bucket
        bucket.tokens = min(float(p.address_burst),
                            bucket.tokens + (now - bucket.at) * p.address_rate_per_s)
        bucket.at = now
        return bucket

    def _prune(self, now: float) -> None:
        if len(self._pairs) < self.policy.max_entries:
            return
        stale = [k for k, v in self._pairs.items() if now - v.last > self.policy.forget_after_s]
        for k in stale:
            del self._pairs[k]
        if len(self._pairs) >= self.policy.max_entries:  # still full: drop the oldest half
            for k, _ in sorted(self._pairs.items(), key=lambda kv: kv[1].last)[
                    : len(self._pairs) // 2]:
                del self._pairs[k]
