"""The Thai documents and their published (frozen) versions (later issues)."""
