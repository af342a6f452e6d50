"""Adapters to the object store (S3) and the case database (PostgreSQL)."""
