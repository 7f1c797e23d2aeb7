"""The event store's adapters for the eventsourcing library: the recorders on SQLite and PostgreSQL (with the
personal-data keys written in the same transaction), the SQLite connections with their checkpoints kept out of
the commits, and the library's environment for a configured store."""
