"""Reading reports: file → lines → clean lines → metadata and structure (tables, amounts) → passages."""
