"""Document-type classification and field extraction: text in, typed results out."""
