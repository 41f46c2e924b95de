"""Query time: named ranking weights, search, suggestions, question types and answers."""
