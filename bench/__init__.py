"""Benchmarks of Shangliang at province scale (``make bench``; see docs/benchmarks.md)."""
