"""Release checks: the packaging configuration, the wheel and the bundle."""
