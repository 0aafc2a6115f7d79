"""The HTTP edge: parse, authenticate, call a service, serialize. No rules live here."""
