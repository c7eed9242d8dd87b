"""The Dask cluster a run uses: a LocalCluster of N worker processes (`--workers N`) or a
running scheduler (`--scheduler tcp://HOST:PORT`, or DASK_SCHEDULER_ADDRESS). Dask is an
optional extra; it is imported here, only when one of those is asked for."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

# Seconds to wait for a scheduler before giving up: a wrong address is one line, not a hang.
CONNECT_TIMEOUT = 3
INSTALL = "pip install 'listing-audit[dask]'"


class ClusterError(Exception):
    """The cluster cannot be had: one line for the user."""


def _dask() -> Any:
    try:
        import dask
        import distributed
    except ImportError:
        raise ClusterError(f"--workers and --scheduler run the audit on Dask, which is not "
                           f"installed: {INSTALL}") from None
    return dask, distributed


@contextmanager
def connect(workers: int | None = None, scheduler: str | None = None, *,
            processes: bool = True) -> Iterator[Any]:
    """A dask.distributed Client, closed (with its LocalCluster) when the run ends."""
    dask, distributed = _dask()
    cluster = None
    # Worker and scheduler chatter (ports, restarts) is not the report's: errors only.
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s",
                          "distributed.admin.tick.limit": "1h"}):
        if scheduler:
            try:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT,
                                            set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} within "
                                   f"{CONNECT_TIMEOUT} s ({_first_line(exc)})") from None
        else:
            try:
                cluster = distributed.LocalCluster(
                    n_workers=workers or 1, threads_per_worker=1, processes=processes,
                    # The scheduler always serves HTTP (health routes, even with no
                    # dashboard); a free loopback port, never a fixed one another
                    # cluster on this machine may hold.
                    dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                    # Local workers listen on the loopback interface only.
                    **({"host": "127.0.0.1"} if processes else {}))
                client = distributed.Client(cluster, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                if cluster is not None:
                    cluster.close()
                raise ClusterError(f"cannot start {workers} Dask worker processes "
                                   f"({_first_line(exc)})") from None
        try:
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
