"""moto's server, completed: the operations ``install()`` adds answer over HTTP too.

moto's server dispatches every request to the same response classes as the
in-process ``mock_aws``, so the completion is the one ``install()`` applies
to them: it only has to run in the server's process. ``serve()`` does both
(a ``ThreadedMotoServer`` on loopback); ``python -m
agentgov.demo.awsmock.server [--port N]`` runs one in a process of its own
and prints ``ready http://127.0.0.1:N`` when it answers. The benchmark
(``bench/bench_audit.py``) audits it with ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def serve(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """A completed moto server on ``host`` (``port`` 0: a free one) for the ``with`` block; yields its URL."""
    from moto.server import ThreadedMotoServer

    from agentgov.demo.awsmock.patches import install

    install()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    try:
        bound_host, bound_port = server.get_host_and_port()
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m agentgov.demo.awsmock.server", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    args = ap.parse_args(argv)
    # moto gives every EC2 backend (each account and region) its ~1,200 public AMIs, made with random ids: half a
    # second of CPU and megabytes each, on the first EC2 call of an account in a region. Nothing here reads images.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    with serve(args.host, args.port) as url:
        sys.stdout.write(f"ready {url}\n")
        sys.stdout.flush()
        threading.Event().wait()  # until the process is stopped
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
