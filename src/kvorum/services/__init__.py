"""The platform's rules. No HTTP and no SQL text here: the edge calls in, the store is called out."""
