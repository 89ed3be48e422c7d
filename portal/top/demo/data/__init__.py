"""The demo data of `manage.py demo` (and `make run`): two care organisations under one remote
CISO, four suppliers, and assessments, findings, decisions, documents, contracts, exit notes
and an incident in every state worth showing. A module per part; safe to load again."""

from .loader import load_demo
from .people import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "load_demo"]
