"""kvorum: a self-hosted crowdsourcing platform speaking the Toloka API v1."""

__version__ = "0.1.0"
