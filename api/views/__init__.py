"""API views: each reads through selectors and writes through exactly one service."""
