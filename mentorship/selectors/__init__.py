"""Reads, always scoped to the acting user: what they may not see raises NotFound."""
