"""The requester calls the demo makes beyond the simulator's, shaped as toloka-kit 1.2.3 sends them:
skills, trainings, bonuses, aggregation by pool, and the reads the report is made of."""

from collections.abc import AsyncIterator
from typing import Any

from kvorum.simulate.server import Server


class Requester(Server):
    """The live server as the demo's requester sees it (one connection pool, one origin only)."""

    async def create_skill(self, name: str) -> str:
        body = {"name": name, "hidden": False, "public_requester_description": {"EN": name}}
        return str((await self._as_requester("POST", "/api/v1/skills", 201, json=body))["id"])

    async def create_training(self, body: dict[str, Any]) -> str:
        return str((await self._as_requester("POST", "/api/v1/trainings", 201, json=body))["id"])

    async def give_bonus(self, body: dict[str, Any]) -> None:
        await self._as_requester("POST", "/api/v1/user-bonuses", 201, json=body)

    async def aggregate(self, pool_id: str, method: str, field: str, skill_id: str | None) -> dict[str, Any]:
        """`aggregate_solutions_by_pool` then `wait_operation`: the labels, by task id."""
        body: dict[str, Any] = {"type": method, "pool_id": pool_id, "fields": [{"name": field}]}
        if skill_id is not None:
            body["answer_weight_skill_id"] = skill_id
        path = "/api/v1/aggregated-solutions/aggregate-by-pool"
        started = await self._as_requester("POST", path, 202, json=body)
        operation = await self._finished(started, f"aggregating pool {pool_id}")
        labels: dict[str, Any] = {}
        async for item in self._pages(
            f"/api/v1/aggregated-solutions/{operation['id']}", {}, "task_id", 100_000
        ):
            labels[str(item["task_id"])] = item
        return labels

    def tasks(self, pool_id: str) -> AsyncIterator[dict[str, Any]]:
        return self._pages("/api/v1/tasks", {"pool_id": pool_id}, "id", 100_000)

    def skills(self, skill_id: str) -> AsyncIterator[dict[str, Any]]:
        return self._pages("/api/v1/user-skills", {"skill_id": skill_id}, "id", 1000)

    def restrictions(self) -> AsyncIterator[dict[str, Any]]:
        return self._pages("/api/v1/user-restrictions", {}, "id", 500)

    async def _pages(
        self, path: str, params: dict[str, str], key: str, limit: int
    ) -> AsyncIterator[dict[str, Any]]:
        """Every item of a search, paged by `key` as toloka-kit's `get_*` generators do."""
        params = {**params, "sort": key, "limit": str(limit)}
        while True:
            page = await self._as_requester("GET", path, 200, params=params)
            for item in page["items"]:
                yield item
            if not page["has_more"] or not page["items"]:
                return
            params[f"{key}_gt"] = str(page["items"][-1][key])
