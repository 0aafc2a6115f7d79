"""Aggregated solutions: checking a request, reading the answers that count, and the labels stored
by aggregate-by-pool operations. The methods themselves are in services/aggregation/."""
