"""Serializers: explicit allowlists of what each role reads and what a write may set."""
