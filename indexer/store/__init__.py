"""The index on disk: Swedish analysis, the schema and its version, building, generations and report records."""
