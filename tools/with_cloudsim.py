"""Run a command against a freshly started cloudsim, then stop the simulator.

    python tools/with_cloudsim.py [--state-dir DIR] [--ansible-vars FILE] [-- SIM ARGS...] -- COMMAND...

The simulator writes DIR/env (``export NAME=value`` lines); the command runs with those variables
set. ``--ansible-vars`` also writes them as the extra-vars file ansible-test integration reads
(``cloudsim_url``, ``cloudsim_env``, ``cloudsim_ca_bundle``), since ansible-test passes no environment.
"""
import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import time

STARTUP_TIMEOUT = 30


def read_env_file(path):
    env = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("export "):
                name, value = line[len("export "):].split("=", 1)
                env[name] = shlex.split(value)[0] if value else ""
    return env


def start(state_dir, sim_args):
    env_file = os.path.join(state_dir, "env")  # cloudsim writes it atomically once it serves
    if os.path.exists(env_file):
        os.remove(env_file)
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudsim", "--port", "0", "--state-dir", state_dir] + sim_args,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not os.path.exists(env_file):
        if process.poll() is not None:
            sys.exit("cloudsim exited with %s before it was ready" % process.returncode)
        if time.monotonic() > deadline:
            process.terminate()
            sys.exit("cloudsim did not write %s within %ss" % (env_file, STARTUP_TIMEOUT))
        time.sleep(0.05)
    return process, read_env_file(env_file)


def write_ansible_vars(path, sim_env):
    bundle = sim_env.get("REQUESTS_CA_BUNDLE", "")
    data = {"cloudsim_url": sim_env.get("CLOUDSIM_URL", ""), "cloudsim_ca_bundle": bundle, "cloudsim_env": sim_env}
    with open(path, "w") as handle:
        json.dump(data, handle, indent=2)  # JSON is YAML: no yaml dependency needed here


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    own, rest = argv[:split], argv[split + 1:]
    sim_args = []
    if "--" in rest:  # first group after "--" is for the simulator
        split = rest.index("--")
        sim_args, rest = rest[:split], rest[split + 1:]
    parser = argparse.ArgumentParser()
    parser.add_argument("--state-dir", default=".sim/run")
    parser.add_argument("--ansible-vars")
    options = parser.parse_args(own)
    if not rest:
        sys.exit("no command given")

    process, sim_env = start(os.path.abspath(options.state_dir), sim_args)
    try:
        if options.ansible_vars:
            write_ansible_vars(options.ansible_vars, sim_env)
        env = dict(os.environ, **sim_env)
        return subprocess.call(rest, env=env)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
