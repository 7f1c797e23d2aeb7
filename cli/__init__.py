"""The `ledger` console command (`cli.main`) and its subcommands (`cli.commands`, one module each): thin
entrypoints over the application (`ledger`), the engine (`domain`), the HTTP app (`api`) and the clock's
scheduler (`scheduler`)."""
