"""Sharing across the sector (DESIGN §14): trust profiles per product, access requests, the
access log, and starting an assessment from a profile."""
