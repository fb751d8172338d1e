"""Built-in detectors; importing this package registers them."""

from checker.detectors import number  # noqa: F401  (registers NumberDetector)
from checker.detectors.base import DETECTORS, ComparisonContext, Detector, register

__all__ = ["DETECTORS", "ComparisonContext", "Detector", "register"]
