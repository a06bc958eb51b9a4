"""Writes about proposals: one module per part of the lifecycle (all through the engine)."""
