"""Settings, shipped defaults and the error hierarchy."""
