"""What a forked worker does first: drop the logging it inherited from a busy parent.

Workers are forked from the flow process while Prefect's threads (and the flow's task threads)
log. A lock such a thread held at that instant — the console handler's rich Console, the API log
worker's queue, the buffer of sys.stderr — stays held for ever in the child, and the child's first
log record waits on it: a warning from a parser (Great Expectations routes warnings into logging)
was enough to hang a run. So the child starts with none of the parent's handlers and writes
warnings through a stream of its own to the same file descriptor.
"""

from __future__ import annotations

import logging
import os


def reset_inherited_logging() -> None:
    """Replace every handler this process inherited with one fresh stderr handler on the root."""
    loggers = [logging.getLogger()] + [
        item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)
    ]
    for logger in loggers:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)  # not closed: the parent still owns what it writes to
    # A new file object on fd 2: the inherited sys.stderr's buffer lock may be held by a dead thread.
    stream = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter("%(asctime)s worker %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
