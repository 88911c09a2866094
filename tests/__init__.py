"""The test suite; it runs from a checkout, whose root is ``PROJECT_ROOT``."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
