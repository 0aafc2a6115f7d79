"""Every bulk type, by the type of its operations.

A stored operation names its bulk type; whichever process runs it (a server, or a job runner that
imports nothing else) finds the type here.
"""

from collections.abc import Mapping
from typing import Any

from kvorum.services.bulk.bulk_type import BulkType
from kvorum.services.tasks import service as tasks
from kvorum.services.tasks import suites
from kvorum.services.workforce import bonuses

BULK_TYPES: Mapping[str, BulkType[Any]] = {
    bulk_type.operation_type: bulk_type
    for bulk_type in (tasks.BATCH_CREATE, suites.BATCH_CREATE, bonuses.BATCH_CREATE)
}
