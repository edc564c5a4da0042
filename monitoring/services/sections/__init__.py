"""The four sections of a snapshot; each `collect(ctx)` returns its part of the payload in a fixed number of
queries, whatever the size of the data."""
