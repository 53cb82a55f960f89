"""``mfakit aws serve``: the embedded AWS as a local endpoint any client can use (the AWS CLI, SDKs, curl).

moto's own ``ThreadedMotoServer`` answers HTTP on loopback; the kit's enforcement sits in moto's request path
(:mod:`mfakit.aws.embedded.hook`), so every request is authorized by the kit: MFA from GetSessionToken with a
checked TOTP code, the managed policies, AWS's error answers. moto's control API (``/moto-api/``: reset,
state dumps holding every secret key) is refused: a client of the endpoint gets only what AWS would give it.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import signal
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from mfakit.aws.embedded.aws import REGION, embedded
from mfakit.aws.embedded.env import ADMIN_KEY_ID, ADMIN_SECRET


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _guard(app: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse moto's control API; pass everything else to moto's dispatcher."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if str(environ.get("PATH_INFO", "")).startswith("/moto-api"):
            body = b'{"message": "not available on the mfakit endpoint"}'
            start_response("403 Forbidden", [("Content-Type", "application/json"),
                                             ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return wsgi


def _check_free(host: str, port: int) -> None:
    """Raise OSError when ``host:port`` cannot be bound (werkzeug would print and exit the process instead)."""
    import socket

    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def _presigned_aware(dispatcher: type) -> type:
    """moto's dispatcher, routing a presigned URL by its ``X-Amz-Credential`` scope.

    moto reads the service from the ``Authorization`` header; a presigned URL has none, so an IAM, EC2 or STS
    URL fell through to S3 (an IAM ListUsers URL answered with a bucket list). AWS takes the service from the
    credential scope (AWS General Reference, "Authenticating requests: using query parameters")."""
    from urllib.parse import parse_qsl

    class PresignedAware(dispatcher):  # type: ignore[misc, valid-type]
        def infer_service_region_host(self, environ: dict[str, Any], path: str) -> str | None:
            if not environ.get("HTTP_AUTHORIZATION"):
                query = dict(parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True))
                scope = query.get("X-Amz-Credential", "").split("/")
                if len(scope) == 5 and scope[3] and scope[3] != "s3":
                    environ = dict(environ, HTTP_AUTHORIZATION="AWS4-HMAC-SHA256 Credential="
                                   + "/".join(scope) + ", SignedHeaders=host, Signature=-")
            return super().infer_service_region_host(environ, path)

    return PresignedAware


def _server_class() -> Any:
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    import threading

    class KitMotoServer(ThreadedMotoServer):
        """moto's threaded server with the control API refused; the socket is bound in the caller's thread,
        so a port in use is an error there (moto binds inside its thread, where the error would be lost)."""

        def start(self) -> None:
            _check_free(self._ip_address, self._port)
            app = _guard(_presigned_aware(DomainDispatcherApplication)(create_backend_app))
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()
            self._server_ready_event.set()

    return KitMotoServer


@contextmanager
def local_endpoint(host: str = "127.0.0.1", port: int = 0, region: str = REGION) -> Iterator[dict[str, Any]]:
    """Serve the embedded AWS on ``host:port`` (0: a free port) for the duration of the block.

    Yields ``{"endpoint", "region", "admin": {...}, "aws": EmbeddedAWS}``; the admin key is the embedded
    AWS's fixed fake key, never a real one.
    """
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with embedded(region=region) as aws:
        server = _server_class()(ip_address=host, port=port, verbose=False)
        server.start()
        try:
            bound_host, bound_port = server.get_host_and_port()
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            yield {"endpoint": f"http://{shown}:{bound_port}", "region": region,
                   "admin": {"aws_access_key_id": ADMIN_KEY_ID, "aws_secret_access_key": ADMIN_SECRET}, "aws": aws}
        finally:
            server.stop()


def serve_forever(host: str, port: int, region: str, emit: Callable[[str], None],
                  ready: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Serve until SIGINT/SIGTERM; ``emit`` gets the one JSON line (endpoint, region, admin key)."""
    stop = threading.Event()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in previous:
        signal.signal(s, lambda *_: stop.set())
    try:
        with local_endpoint(host, port, region) as info:
            emit(json.dumps({k: info[k] for k in ("endpoint", "region", "admin")}))
            if ready is not None:
                ready(info)
            while not stop.wait(0.5):
                pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
