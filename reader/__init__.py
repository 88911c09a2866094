"""Reference Reader: an offline desktop reader for historical essays."""

__version__ = "0.1.0"
