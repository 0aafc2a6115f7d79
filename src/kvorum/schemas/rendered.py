"""JSON text already in the wire format, for answers a service assembles without building objects."""

from typing import NewType

RenderedJson = NewType("RenderedJson", str)
"""A complete JSON document as the API sends it: tasks and suites are rendered around their stored
bodies (no parsing of 100,000 objects to answer a search), operation logs are stored rendered."""
