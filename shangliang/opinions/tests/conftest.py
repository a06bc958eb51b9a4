"""Fixtures of the opinion tests."""

from shangliang.opinions.tests.cast import cast

__all__ = ["cast"]
