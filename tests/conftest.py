"""Shared fixtures live in tests/fixtures/; listed here so pytest loads them."""

pytest_plugins = ["tests.fixtures.services", "tests.fixtures.processes", "tests.fixtures.ocr"]
