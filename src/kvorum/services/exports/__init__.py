"""Exports: a pool's results as files, streamed so that their size never reaches memory."""
