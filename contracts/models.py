"""Models of the contracts app (filled in by the issues that build it)."""
