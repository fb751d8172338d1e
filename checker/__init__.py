"""check: cross-source fact consistency checking."""

__version__ = "0.1.0"
