"""Qt widgets of the reader, built from core objects; they talk through signals."""
