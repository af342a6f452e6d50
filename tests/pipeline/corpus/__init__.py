"""pipeline.corpus package."""
