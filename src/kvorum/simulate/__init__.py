"""A simulated crowd that works a live kvorum server through its public HTTP interfaces only.

It is a client: it never imports the server's services, store or app, so what it measures is what
any requester and worker would meet. `run` (or `simulate` on a running loop) returns a
`SimulationResult` with every answer given, the workers' true accuracy, the bans they met and the
rewards they earned.
"""

from kvorum.simulate.accounts import Accounts, TokenFile
from kvorum.simulate.classification import Setup
from kvorum.simulate.crowd import CrowdSpec, Group, profiles
from kvorum.simulate.errors import ConfigError, ServerError, SimulationError
from kvorum.simulate.result import SimulationResult, WorkerRun
from kvorum.simulate.run import Simulation, run, simulate
from kvorum.simulate.truth import GroundTruth, generate, read_tsv

__all__ = [
    "Accounts",
    "ConfigError",
    "CrowdSpec",
    "GroundTruth",
    "Group",
    "ServerError",
    "Setup",
    "Simulation",
    "SimulationError",
    "SimulationResult",
    "TokenFile",
    "WorkerRun",
    "generate",
    "profiles",
    "read_tsv",
    "run",
    "simulate",
]
