"""Signed webhooks (DESIGN §15): per organisation, endpoints subscribe to domain event names and
receive each event they may see, signed per Standard Webhooks, from a Celery worker."""
