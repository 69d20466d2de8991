"""JSON documents: pointers, line positions, and close names for "did you mean"."""
