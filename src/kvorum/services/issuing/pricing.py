"""What an assignment pays: the pool's reward_per_assignment, or its dynamic price for the worker."""

from collections.abc import Mapping

from kvorum.services.pools.model import Pool


def reward(pool: Pool, skills: Mapping[int, float]) -> float:
    """The reward of the worker's skill interval under dynamic_pricing_config; the pool's reward
    when the worker has no value of that skill or it falls in no interval."""
    pricing = pool.settings.dynamic_pricing
    value = None if pricing is None else skills.get(pricing.skill_id)
    if pricing is not None and value is not None:
        for interval in pricing.intervals:
            if interval.low <= value <= interval.high:
                return interval.reward
    return pool.settings.reward
