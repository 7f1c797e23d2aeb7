"""The service's background processes besides the clock (`scheduler/`): the webhook dispatcher, and the
rebuild of the read models from the event log, in worker processes (`python -m workers.rebuilding`)."""
