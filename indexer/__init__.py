"""Reports → typed structure → index: read, clean, structure, passages, analysis, index."""
