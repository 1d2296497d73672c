"""Saferboard: the performance and accountability cycle of a Community Safety Partnership."""

__version__ = "0.1.0"
