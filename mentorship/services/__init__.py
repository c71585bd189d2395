"""Writes. Every state transition is one atomic function here that checks who may do it,
refuses illegal transitions with a domain error and records an audit event."""
