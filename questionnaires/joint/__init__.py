"""Joint assessments (DESIGN §14): several care organisations, one supplier answer set."""
