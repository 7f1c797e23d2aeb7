"""`ledger dispatcher`: the webhook dispatcher process (the outbox followed, due deliveries sent and retried).

Run it next to `ledger serve` on the same store. Two dispatchers are safe (a delivery is claimed for each
attempt) and share the work.
"""

from __future__ import annotations

import argparse
import logging

from ledger.bootstrap import bootstrap
from ledger.settings import Settings
from workers.dispatcher import Dispatcher


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("dispatcher", help="send the webhooks: follow the outbox, deliver, retry (long-lived)")
    p.add_argument("--once", action="store_true", help="one pass over what is due now, then exit")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from api.middleware import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    ledger = bootstrap(settings)
    dispatcher = Dispatcher(ledger, settings)
    try:
        if args.once:
            dispatcher.run_once()
        else:
            ledger.follow(settings.follow_interval)
            dispatcher.run_forever(interval=settings.follow_interval)
    except KeyboardInterrupt:
        pass
    finally:
        dispatcher.close()
        ledger.close()
    logging.getLogger("ledger.dispatcher").info("dispatcher stopped")
    return 0
