"""HTTPS front end and the in-process API.

    running = start(SimConfig(), state_dir)      # listening when this returns
    running.url, running.env, running.sim, running.oci_config
    running.stop()

:func:`start` writes the state directory (CA, CA bundle, OCI config and API key, ``url``,
``pid`` and, last, ``env``) so that other processes can find and trust the simulator.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import os
import shlex
import socket
import ssl
import threading
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Union

from cloudsim.faults import DropConnection
from cloudsim.http import Headers, Request, Response
from cloudsim.oci.regions import regional_endpoint
from cloudsim.sim import ADMIN_PREFIX, SimConfig, Simulator
from cloudsim.tls import make_api_key, make_tls_material

LOG = logging.getLogger("cloudsim")

# File names inside the state directory.
CA_CERT = "ca.pem"
CA_BUNDLE = "ca-bundle.pem"
SERVER_CERT = "server.pem"
SERVER_KEY = "server-key.pem"
OCI_CONFIG = "oci_config"
OCI_KEY = "oci_api_key.pem"
URL_FILE, PID_FILE, ENV_FILE = "url", "pid", "env"
OCI_PROFILE = "DEFAULT"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cloudsim"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every call.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        body = self._read_body()
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        request = Request(method=self.command, target=self.path,
                          headers=Headers(dict(self.headers.items())), body=body,
                          base_url="https://" + host)
        if request.path.startswith(ADMIN_PREFIX) and not self._from_loopback():
            response = Response(403, {"error": "the admin API answers loopback clients only"})
        else:
            try:
                response = self.server.sim.dispatch(request)
            except DropConnection:
                self.close_connection = True  # the client sees the connection closed, no answer
                return
            except Exception:  # a simulator bug must not kill the connection thread silently
                LOG.exception("cloudsim failed on %s %s", self.command, request.path)
                response = Response(500, {"error": {"code": "InternalServerError",
                                                    "message": "cloudsim internal error"}})
        self._write(response)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk

    def _from_loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            return False

    def _write(self, response: Response) -> None:
        payload = response.encoded()
        self.send_response(response.status)
        headers = dict(response.headers)
        if payload and "content-type" not in {name.lower() for name in headers}:
            is_json = isinstance(response.body, (dict, list))
            headers["Content-Type"] = ("application/json; charset=utf-8" if is_json
                                       else "text/plain; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        LOG.debug("%s " + format, self.client_address[0], *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sim: Simulator, tls: ssl.SSLContext):
        self.sim = sim
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)
        # Handshake in the connection's thread (first read), not in the accept loop.
        self.socket = tls.wrap_socket(self.socket, server_side=True,
                                      do_handshake_on_connect=False)

    def handle_error(self, request, client_address) -> None:
        # Clients that drop the connection or reject our certificate are routine, not errors.
        LOG.debug("connection from %s ended with an error", client_address, exc_info=True)


@dataclass
class RunningSim:
    sim: Simulator
    url: str
    state_dir: Path
    env: Dict[str, str]
    oci_config: Dict[str, Any]
    ca_bundle: Path
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _admin_context: Optional[ssl.SSLContext] = field(default=None, repr=False)

    def oci_endpoint(self, region: Optional[str] = None) -> str:
        """The OCI ``service_endpoint`` of ``region`` (the home region by default)."""
        return regional_endpoint(self.url, region or self.sim.config.oci_region)

    def stop(self) -> None:
        """Stop serving and remove the files that announce a running simulator."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        for name in (ENV_FILE, URL_FILE, PID_FILE):
            (self.state_dir / name).unlink(missing_ok=True)

    def admin(self, method: str, route: str, body: Any = None) -> Any:
        """Call the ``/_sim/`` admin API over HTTPS; returns the decoded JSON answer (or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request("%s/_sim/%s" % (self.url, route.lstrip("/")),
                                         data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        context = self._client_context()
        with urllib.request.urlopen(request, context=context) as answer:  # noqa: S310
            payload = answer.read()
        return json.loads(payload) if payload else None

    def _client_context(self) -> ssl.SSLContext:
        if self._admin_context is None:  # loading the bundle takes tens of ms: do it once
            self._admin_context = ssl.create_default_context(cafile=str(self.state_dir / CA_CERT))
        return self._admin_context

    def __enter__(self) -> "RunningSim":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


def system_ca_file() -> str:
    """The CA file clients trust today: REQUESTS_CA_BUNDLE, SSL_CERT_FILE, else certifi's."""
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        path = os.environ.get(name)
        # A bundle we wrote ourselves (an old `source .sim/env`) would pile up stale sim CAs.
        if path and os.path.isfile(path) and Path(path).name != CA_BUNDLE:
            return path
    import certifi
    return certifi.where()


def _write(path: Path, data: Union[str, bytes], private: bool = False) -> None:
    """Write atomically (readers polling for the file never see half of it)."""
    temporary = path.with_name(path.name + ".tmp")
    raw = data.encode() if isinstance(data, str) else data
    mode = 0o600 if private else 0o644
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)   # a leftover .tmp keeps its old mode through O_CREAT
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    os.replace(temporary, path)


def start(config: Optional[SimConfig] = None, state_dir: Union[str, Path] = ".sim",
          host: str = "127.0.0.1", port: int = 0, tls_names: Sequence[str] = ()) -> RunningSim:
    """Generate keys, start the HTTPS server in a thread and write the state directory.

    ``tls_names``: more names or addresses for the server certificate than the loopback ones
    (and ``host``), for clients that reach the simulator from elsewhere (a container)."""
    state = Path(state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    (state / ENV_FILE).unlink(missing_ok=True)  # "env exists" means "this simulator is up"

    wildcard = host in ("", "0.0.0.0", "::")
    tls_material = make_tls_material([*tls_names, *([] if wildcard else [host])])
    _write(state / CA_CERT, tls_material.ca_cert_pem)
    _write(state / SERVER_CERT, tls_material.server_cert_pem)
    _write(state / SERVER_KEY, tls_material.server_key_pem, private=True)
    bundle = Path(system_ca_file()).read_bytes().rstrip(b"\n") + b"\n" + tls_material.ca_cert_pem
    _write(state / CA_BUNDLE, bundle)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(state / SERVER_CERT, state / SERVER_KEY)

    api_key = make_api_key()
    _write(state / OCI_KEY, api_key.private_key_pem, private=True)
    config = dataclasses.replace(config or SimConfig(), oci_fingerprint=api_key.fingerprint,
                                 oci_public_key_pem=api_key.public_key_pem)
    sim = Simulator(config)

    server = _Server((host, port), sim, context)
    bound_port = server.server_address[1]
    url_host = ("[::1]" if ":" in host else "127.0.0.1") if wildcard else \
        ("[%s]" % host if ":" in host else host)
    url = "https://%s:%d" % (url_host, bound_port)
    thread = threading.Thread(target=server.serve_forever, name="cloudsim", daemon=True)
    thread.start()

    oci_config = {"user": config.oci_user_ocid, "tenancy": config.oci_tenancy_ocid,
                  "fingerprint": config.oci_fingerprint, "region": config.oci_region,
                  "key_file": str(state / OCI_KEY)}
    # Owner-only, like the key: the OCI CLI warns "WARNING: Permissions on {filepath} are too
    # open." for a config file with any bit beyond 0600 (oracle/oci-cli src/oci_cli/cli_util.py,
    # FilePermissionChecker.warn_on_invalid_file_permissions, "user R or RW only (400 or 600)").
    _write(state / OCI_CONFIG, "[%s]\n%s\n" % (OCI_PROFILE, "\n".join(
        "%s=%s" % item for item in oci_config.items())), private=True)
    env = {
        "AZURE_CLIENT_ID": config.azure_client_id,
        "AZURE_SECRET": config.azure_client_secret,
        "AZURE_TENANT": config.azure_tenant_id,
        "AZURE_SUBSCRIPTION_ID": config.azure_subscription_id,
        "AZURE_CLOUD_ENVIRONMENT": url,
        "OCI_CONFIG_FILE": str(state / OCI_CONFIG),
        "OCI_CONFIG_PROFILE": OCI_PROFILE,
        # The collection puts each module's region in place of {region}: one endpoint per region.
        "OCI_SERVICE_ENDPOINT": regional_endpoint(url, "{region}"),
        "OCI_REGION": config.oci_region,
        "REQUESTS_CA_BUNDLE": str(state / CA_BUNDLE),
        "CURL_CA_BUNDLE": str(state / CA_BUNDLE),
        "SSL_CERT_FILE": str(state / CA_BUNDLE),
        "CLOUDSIM_URL": url,
    }
    _write(state / URL_FILE, url + "\n")
    _write(state / PID_FILE, "%d\n" % os.getpid())
    _write(state / ENV_FILE, "".join("export %s=%s\n" % (name, shlex.quote(value))
                                     for name, value in env.items()))
    return RunningSim(sim=sim, url=url, state_dir=state, env=env, oci_config=oci_config,
                      ca_bundle=state / CA_BUNDLE, _server=server, _thread=thread)
