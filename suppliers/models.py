"""Models of the suppliers app (filled in by the issues that build it)."""
