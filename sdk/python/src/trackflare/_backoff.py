import random


def backoff_seconds(attempt: int, base: float = 0.25, cap: float = 5.0) -> float:
    """Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): a random
    delay in [0, min(cap, base·2^attempt)], so clients retrying after one outage do not return in lockstep.
    A floor of base/2 keeps a retry loop from spinning."""
    ceiling = min(cap, base * 2 ** min(attempt, 20))
    return max(base / 2, random.random() * ceiling)
