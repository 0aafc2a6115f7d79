"""Pydantic models of the wire format, one module per resource."""
