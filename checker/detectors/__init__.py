"""Built-in detectors; importing this package registers them."""

from checker.detectors import certainty  # noqa: F401  (registers CertaintyDetector)
from checker.detectors import date  # noqa: F401  (registers DateDetector)
from checker.detectors import negation  # noqa: F401  (registers NegationDetector)
from checker.detectors import number  # noqa: F401  (registers NumberDetector)
from checker.detectors import place  # noqa: F401  (registers PlaceDetector)
from checker.detectors import quote  # noqa: F401  (registers QuoteDetector)
from checker.detectors import role  # noqa: F401  (registers RoleDetector)
from checker.detectors import score  # noqa: F401  (registers ScoreDetector)
from checker.detectors.base import DETECTORS, ComparisonContext, Detector, register, selected_kinds

__all__ = ["DETECTORS", "ComparisonContext", "Detector", "register", "selected_kinds"]
