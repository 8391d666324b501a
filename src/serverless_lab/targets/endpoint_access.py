"""Who may call the emulator: programs on this machine, not the web pages its browser shows.

The emulator's endpoint runs code (a function, a stack, a workflow) on the learner's own
machine, with no authentication, like every local AWS emulator. A web page open in the
learner's browser can send requests to ``127.0.0.1`` too, so, as LocalStack does with its
allowed CORS origins (its ``EXTRA_CORS_ALLOWED_ORIGINS`` setting), the endpoint refuses:

- a request whose ``Host`` is not a loopback name (``localhost``, ``*.localhost``,
  ``127.0.0.0/8``, ``::1``) or the address the lab listens on: a page that has rebound its
  own DNS name to 127.0.0.1 still sends its own name;
- a request a browser marks as coming from a page of another origin (``Origin``, or
  ``Sec-Fetch-Site: cross-site``/``same-site``, or a ``Referer`` of another origin), unless
  that origin is allowed (``Settings.cors_origins``, ``SERVERLESS_LAB_CORS_ORIGINS``, or
  ``serverless-lab serve --cors-origin``); moto's own permissive CORS headers are removed,
  and an allowed origin gets exactly its own.

boto3, the AWS CLI and the SDKs send none of these headers, so they are not affected. API
stages served on the gateway port keep the CORS each API configures (the browser is their
caller, as on AWS); only the ``Host`` check and the ``/_lab/`` control paths apply there.
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ORIGINS_VARIABLE = "SERVERLESS_LAB_CORS_ORIGINS"
HOSTS_VARIABLE = "SERVERLESS_LAB_ALLOWED_HOSTS"
CROSS_SITE = ("cross-site", "same-site")
ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"


@dataclass(frozen=True)
class AccessPolicy:
    """Which browser origins and host names the endpoint accepts beyond loopback."""

    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()

    @classmethod
    def for_lab(cls, origins: Iterable[str], host: str) -> AccessPolicy:
        """The lab's settings plus the environment variables (comma-separated lists)."""
        extra = [o for o in os.environ.get(ORIGINS_VARIABLE, "").split(",") if o.strip()]
        hosts = [h for h in os.environ.get(HOSTS_VARIABLE, "").split(",") if h.strip()]
        for origin in [*origins, *extra]:
            if "://" not in origin or not urlsplit(origin.strip()).netloc:
                raise ValueError(f"{origin!r} is not a browser origin: give scheme://host[:port],"
                                 " for example http://localhost:3000")
        return cls(tuple(_origin(o) for o in [*origins, *extra]),
                   tuple(h.strip().lower() for h in [host, *hosts]))

    def host_allowed(self, host_header: str) -> bool:
        name = _host_name(host_header)
        return is_loopback(name) or name in self.allowed_hosts or "*" in self.allowed_hosts

    def origin_allowed(self, origin: str) -> bool:
        return _origin(origin) in self.cors_origins


def is_loopback(name: str) -> bool:
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """``Host: [::1]:4566`` -> ``::1``; ``Host: localhost:4566`` -> ``localhost``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _origin(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url.strip()


def browser_origin(environ: dict[str, Any]) -> str | None:
    """The page a browser says sent this request (None: not a cross-origin browser call)."""
    origin = environ.get("HTTP_ORIGIN")
    if origin:
        return str(origin)
    referer = environ.get("HTTP_REFERER")
    own = f"http://{environ.get('HTTP_HOST', '')}".lower()
    if referer and _origin(referer) != own:
        return _origin(referer)
    if environ.get("HTTP_SEC_FETCH_SITE", "").lower() in CROSS_SITE:
        return "(a page of another site)"
    return None


def refusal(policy: AccessPolicy, environ: dict[str, Any], browser: bool) -> str | None:
    """Why this request is refused, or None. ``browser``: check the browser's headers too."""
    host = environ.get("HTTP_HOST", "")
    if host and not policy.host_allowed(host):
        return (f"serverless-lab: refused a request for host {_host_name(host)!r}: the "
                f"emulator answers loopback names only (add a name to {HOSTS_VARIABLE}).")
    origin = browser_origin(environ) if browser else None
    if origin is not None and not policy.origin_allowed(origin):
        return (f"serverless-lab: refused a browser request from {origin}: pages of other "
                f"origins may not call the emulator (allow one with {ORIGINS_VARIABLE}).")
    return None


def forbidden(message: str) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode()
        start_response("403 Forbidden", [("Content-Type", "application/json"),
                                         ("Content-Length", str(len(body)))])
        return [body]
    return app


def with_cors(app: Callable[..., Iterable[bytes]], policy: AccessPolicy,
              environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Call ``app`` with moto's CORS headers replaced by the policy's own."""
    origin = environ.get("HTTP_ORIGIN")
    allowed = origin is not None and policy.origin_allowed(origin)
    if allowed and environ.get("REQUEST_METHOD") == "OPTIONS" and \
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"):
        start_response("200 OK", _cors(origin, environ) + [("Content-Length", "0")])
        return [b""]

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        return start_response(status, kept + (_cors(origin, environ) if allowed else []),
                              exc_info)

    return app(environ, start)


def _cors(origin: Any, environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [("Access-Control-Allow-Origin", str(origin)), ("Vary", "Origin"),
               ("Access-Control-Allow-Methods", ALLOWED_METHODS),
               ("Access-Control-Expose-Headers", "*"), ("Access-Control-Max-Age", "600")]
    requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    if requested:
        headers.append(("Access-Control-Allow-Headers", str(requested)))
    return headers
