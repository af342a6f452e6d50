"""The REST API and the review web app."""
