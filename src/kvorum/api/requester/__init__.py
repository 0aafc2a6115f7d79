"""The requester API, /api/v1: one module per Toloka resource."""

from fastapi import APIRouter

from kvorum.api.requester import (
    aggregation,
    assignments,
    bonuses,
    operations,
    pools,
    projects,
    requester,
    restrictions,
    skills,
    task_suites,
    tasks,
    trainings,
)

router = APIRouter(prefix="/api/v1")
for module in (
    requester,
    projects,
    pools,
    trainings,
    tasks,
    task_suites,
    operations,
    assignments,
    restrictions,
    skills,
    bonuses,
    aggregation,
):
    router.include_router(module.router)
