"""``python -m cloudsim``: run the simulator until SIGTERM/SIGINT (or in the background with
``--daemon``). See ``python -m cloudsim --help``."""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

from cloudsim.faults import FaultSettings
from cloudsim.server import ENV_FILE, start
from cloudsim.sim import DELAY_NAMES, DELAY_PRESETS, SimConfig, checked_delays

DAEMON_STARTUP_TIMEOUT = 30.0
DAEMON_LOG = "cloudsim.log"

EPILOG = """\
state directory (written on start; url, pid and env are removed on a clean stop):
  ca.pem          the simulator's CA certificate (new on every start)
  ca-bundle.pem   system CAs (REQUESTS_CA_BUNDLE, SSL_CERT_FILE or certifi) + the simulator's CA
  oci_config      OCI SDK config file (profile DEFAULT); oci_api_key.pem is its signing key
  url, pid        the base URL and the process id
  env             `export` lines pointing the collection at the simulator; written last, so
                  its existence means "ready":
                    AZURE_CLIENT_ID AZURE_SECRET AZURE_TENANT AZURE_SUBSCRIPTION_ID
                    AZURE_CLOUD_ENVIRONMENT (the URL; cloud metadata at /metadata/endpoints)
                    OCI_CONFIG_FILE OCI_CONFIG_PROFILE OCI_REGION (the home region)
                    OCI_SERVICE_ENDPOINT (URL/oci/{region}: OCI is served per region)
                    REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE CLOUDSIM_URL

delay names (--delay NAME=SECONDS):
%s

admin API (loopback only, no auth):
  GET /_sim/health            GET /_sim/state          POST /_sim/reset
  GET /_sim/log[?since=N&cloud=azure|oci&kind=read|write|poll|auth|admin&method=GET]
  DELETE /_sim/log            GET|PUT /_sim/faults     GET|PUT /_sim/delays
  POST /_sim/fixture          (body: a fixture document, loaded on top of the state)
""" % "\n".join("  %-20s %s" % item for item in DELAY_NAMES.items())


def _delay_setting(text: str):
    name, sep, value = text.partition("=")
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if not sep or not name or seconds is None:
        raise argparse.ArgumentTypeError("expected NAME=SECONDS, got %r" % text)
    try:
        return checked_delays({name: seconds}).popitem()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("expected a rate between 0 and 1, got %r" % text)
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cloudsim",
        description="Stateful HTTPS simulator of Azure Resource Manager (Microsoft.Network), "
                    "Entra ID client-credential tokens and OCI Core (FastConnect, DRG, VCN "
                    "routing and security) for the crosscloud.interconnect collection.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one "
                                                            "(default)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; the admin API answers "
                             "loopback clients only)")
    parser.add_argument("--tls-name", action="append", default=[], metavar="NAME",
                        help="another host name or address for the server certificate, for "
                             "clients that do not use 127.0.0.1/localhost (repeatable)")
    parser.add_argument("--state-dir", default=".sim", type=Path,
                        help="directory for the CA, bundle, OCI config, url, pid and env "
                             "(default .sim)")
    parser.add_argument("--fixture", type=Path,
                        help="JSON fixture of pre-existing resources ({\"azure\": ..., "
                             "\"oci\": ...}), e.g. cloudsim/fixtures/demo.json; reloaded by "
                             "POST /_sim/reset")
    parser.add_argument("--delays", choices=sorted(DELAY_PRESETS), default="zero",
                        help="transition delay preset: zero (tests) or realistic (a few "
                             "seconds per step, for the demo); default zero")
    parser.add_argument("--delay", action="append", type=_delay_setting, default=[],
                        metavar="NAME=SECONDS", help="override one delay (repeatable)")
    parser.add_argument("--seed", type=int,
                        help="seed for ids and faults; the same seed and requests replay the "
                             "same run (default: random, shown by GET /_sim/faults)")
    faults = parser.add_argument_group("faults (also settable at run time: PUT /_sim/faults)")
    faults.add_argument("--throttle-rate", type=_rate, default=0.0, metavar="RATE",
                        help="share of cloud calls answered 429 with Retry-After")
    faults.add_argument("--retry-after", type=int, default=1, metavar="SECONDS",
                        help="Retry-After of throttled (and 503) answers (default 1)")
    faults.add_argument("--error-rate", type=_rate, default=0.0, metavar="RATE",
                        help="share of cloud calls answered 500 or 503")
    faults.add_argument("--drop-rate", type=_rate, default=0.0, metavar="RATE",
                        help="share of cloud calls whose connection is closed unanswered")
    faults.add_argument("--lro-failure-rate", type=_rate, default=0.0, metavar="RATE",
                        help="share of long-running operations that end Failed")
    faults.add_argument("--fault-path", default="", metavar="REGEX",
                        help="fault only calls whose path matches REGEX")
    faults.add_argument("--fault-token-endpoint", action="store_true",
                        help="also fault Entra token/discovery and cloud metadata calls "
                             "(never faulted by default; /_sim/ never is)")
    identity = parser.add_argument_group("clouds")
    identity.add_argument("--oci-region", default=SimConfig.oci_region,
                          help="OCI region of the config file (default %(default)s)")
    parser.add_argument("--daemon", action="store_true",
                        help="run in the background: return once the simulator serves, "
                             "printing its URL; it logs to STATE_DIR/%s" % DAEMON_LOG)
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log every request to stderr")
    return parser


def config_from(options: argparse.Namespace) -> SimConfig:
    delays: Dict[str, float] = dict(DELAY_PRESETS[options.delays])
    delays.update(dict(options.delay))
    fixture = None
    if options.fixture:
        fixture = json.loads(options.fixture.read_text())
    faults = FaultSettings(throttle_rate=options.throttle_rate, retry_after=options.retry_after,
                           error_rate=options.error_rate, drop_rate=options.drop_rate,
                           lro_failure_rate=options.lro_failure_rate,
                           include_token_endpoint=options.fault_token_endpoint,
                           path_pattern=options.fault_path)
    faults.validate()
    return SimConfig(delays=delays, faults=faults, seed=options.seed, fixture=fixture,
                     oci_region=options.oci_region)


def serve(options: argparse.Namespace, config: SimConfig) -> int:
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    running = start(config, options.state_dir, host=options.host, port=options.port,
                    tls_names=options.tls_name)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(running.url, flush=True)
    try:
        while not stop.wait(3600):
            pass
    finally:
        running.stop()
    return 0


def daemonize(options: argparse.Namespace, config: SimConfig) -> int:
    """Fork a detached simulator; return in the parent once it wrote its env file."""
    state_dir = options.state_dir.resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    env_file = state_dir / ENV_FILE
    env_file.unlink(missing_ok=True)
    child = os.fork()
    if child == 0:
        os.setsid()
        log = os.open(state_dir / DAEMON_LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        try:
            code = serve(options, config)
        except BaseException:  # noqa: BLE001 - a detached child reports in its log and exits
            logging.getLogger("cloudsim").exception("cloudsim stopped on an error")
            code = 1
        os._exit(code)
    deadline = time.monotonic() + DAEMON_STARTUP_TIMEOUT
    while not env_file.exists():
        finished, status = os.waitpid(child, os.WNOHANG)
        if finished:
            sys.stderr.write("cloudsim exited before it was ready; see %s\n"
                             % (state_dir / DAEMON_LOG))
            return 1
        if time.monotonic() > deadline:
            os.kill(child, signal.SIGTERM)
            sys.stderr.write("cloudsim was not ready within %.0f s\n" % DAEMON_STARTUP_TIMEOUT)
            return 1
        time.sleep(0.02)
    print((state_dir / "url").read_text().strip(), flush=True)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        config = config_from(options)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    return daemonize(options, config) if options.daemon else serve(options, config)


if __name__ == "__main__":
    sys.exit(main())
