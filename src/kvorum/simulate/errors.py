"""What stops a simulation before or while it runs; the CLI prints the message, never a traceback."""


class SimulationError(Exception):
    """A problem the user can fix: the message says what and where."""


class ConfigError(SimulationError):
    """A crowd file, ground-truth file or flag that does not make sense."""


class ServerError(SimulationError):
    """The server answered what a requester or worker would not expect, or cannot be reached."""
