"""playbooks/interconnect.yml run the way AWX runs a job from the job template in awx/.

Each job is prepared as AWX's RunJob prepares it and handed to ansible-runner's transmit -> worker
-> process streams as AWX hands it to an execution node (tests/awx/awx_controller.py, citing AWX):
the project checkout, the inventory (imported from inventories/demo as an SCM inventory source
would, sliced as a slice job gets it) as an inventory script, the survey's launch extra vars, the
job template's forks and diff mode, and an environment holding AWX's job settings plus the two
attached credentials as AWX injects them (awx/credential_types.yml for OCI, AWX's built-in azure_rm
injector for Azure). The collection comes from the execution environment's collections directory
(see conftest). The clouds are a cloudsim started with the demo fixture and no delays, filled into
the credentials.
"""
import configparser
import importlib.util
import json
import re
import secrets
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml
from cryptography.hazmat.primitives import serialization

from . import awx_controller as awx
from .awx_testenv import REPO_ROOT, isolated_env, run_tool, venv_tool

DEMO_INVENTORY = REPO_ROOT / "inventories" / "demo"
SIM_FIXTURE = REPO_ROOT / "cloudsim" / "fixtures" / "demo.json"
JOB_TIMEOUT = 900
CREDENTIAL_TYPE = yaml.safe_load((REPO_ROOT / "awx" / "credential_types.yml").read_text())["credential_types"][0]
JOB_TEMPLATE = yaml.safe_load((REPO_ROOT / "awx" / "job_template.yml").read_text())["job_templates"][0]
SURVEY = JOB_TEMPLATE["related"]["survey_spec"]


def _with_cloudsim():
    """tools/with_cloudsim.py, which starts the simulator for `make integration` too."""
    spec = importlib.util.spec_from_file_location("with_cloudsim", REPO_ROOT / "tools" / "with_cloudsim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cloudsim(tmp_path):
    """The settings of a fresh simulator (its env file as a dict), stopped after the test."""
    for required in (DEMO_INVENTORY, SIM_FIXTURE, REPO_ROOT / JOB_TEMPLATE["playbook"]):
        if not required.exists():
            pytest.fail("%s is missing: the AWX job test runs the playbook on the demo inventory against "
                        "cloudsim's demo fixture" % required.relative_to(REPO_ROOT), pytrace=False)
    process, sim_env = _with_cloudsim().start(str(tmp_path / "cloudsim"),
                                              ["--fixture", str(SIM_FIXTURE), "--delays", "zero"])
    yield sim_env
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def demo_inventory(tmp_path_factory):
    """inventories/demo as AWX holds it after an SCM inventory source sync (ansible-inventory --export)."""
    home = tmp_path_factory.mktemp("inventory-home")
    result = run_tool([venv_tool("ansible-inventory"), "-i", DEMO_INVENTORY, "--list", "--export"],
                      env=isolated_env(home))
    inventory = json.loads(result.stdout)
    if len(awx.script_data(inventory)["_meta"]["hostvars"]) < 2:
        pytest.fail("inventories/demo needs at least two interconnects to show slicing", pytrace=False)
    return inventory


@pytest.fixture(scope="module")
def project_checkout():
    """The project as AWX checks it out: the repository's tracked and new, not ignored, files."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return REPO_ROOT, [name for name in listed if name and (REPO_ROOT / name).is_file()]


def credential_inputs(sim_env):
    """The two credentials of the job template, filled from the simulator's settings, and the
    secrets they hold. The sim's unencrypted signing key is stored encrypted under a fresh
    passphrase, so the passphrase path is exercised and there is a passphrase to look for."""
    azure = {"subscription": sim_env["AZURE_SUBSCRIPTION_ID"], "client": sim_env["AZURE_CLIENT_ID"],
             "secret": sim_env["AZURE_SECRET"], "tenant": sim_env["AZURE_TENANT"],
             "cloud_environment": sim_env["AZURE_CLOUD_ENVIRONMENT"]}
    config = configparser.ConfigParser(interpolation=None)
    config.read(sim_env["OCI_CONFIG_FILE"])
    profile = config[sim_env["OCI_CONFIG_PROFILE"]]
    passphrase = secrets.token_urlsafe(24)
    key = serialization.load_pem_private_key(Path(profile["key_file"]).read_bytes(),
                                             (profile.get("pass_phrase") or "").encode() or None)
    private_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(passphrase.encode())).decode()
    oci = {"user": profile["user"], "fingerprint": profile["fingerprint"], "tenancy": profile["tenancy"],
           "region": profile["region"], "private_key": private_key, "passphrase": passphrase,
           "service_endpoint": sim_env["OCI_SERVICE_ENDPOINT"]}
    job_secrets = {"Azure client secret": azure["secret"], "OCI key passphrase": passphrase}
    job_secrets.update(("OCI private key, line %d" % number, line)
                       for number, line in enumerate(private_key.splitlines()) if "-----" not in line)
    return azure, oci, job_secrets


def image_env(ee_definition):
    """The variables the execution environment's final stage sets with ENV: every job process inherits them."""
    steps = (ee_definition.get("additional_build_steps") or {}).get("append_final") or []
    return dict(step[len("ENV "):].split("=", 1) for step in steps if step.startswith("ENV "))


@pytest.fixture
def launch(tmp_path, cloudsim, ee_collections, ee_definition, project_checkout):
    """Factory of jobs against this test's simulator: launch(job_id) -> (awx_controller.Job, secrets).
    AWX's ident for a job is its numeric id (JOB_ID)."""
    azure, oci, job_secrets = credential_inputs(cloudsim)
    # Settings > Jobs > Extra Environment Variables (AWX_TASK_ENV): trust the simulator's CA, as an EE
    # built on a corporate base image trusts a private CA.
    task_env = {name: cloudsim[name] for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")}

    def make(job_id):
        home = tmp_path / ("home-%d" % job_id)
        home.mkdir()
        job = awx.Job(JOB_TEMPLATE, job_id, str(tmp_path), project=project_checkout, ee_collections=ee_collections,
                      task_env=task_env,
                      worker=(venv_tool("ansible-runner"), isolated_env(home, **image_env(ee_definition))))
        # RunJob: each attached credential injects into the job's environment (jobs.py L534-538).
        job.inject(awx.inject_azure_rm(azure))
        job.inject(awx.inject_credential(CREDENTIAL_TYPE, oci, job.private_data_dir))
        return job, job_secrets
    return make


def sim_state(sim_env):
    response = requests.get(sim_env["CLOUDSIM_URL"] + "/_sim/state", verify=sim_env["REQUESTS_CA_BUNDLE"], timeout=30)
    response.raise_for_status()
    return response.json()


def expressroute_service_keys(state):
    """{circuit name: service key} of every ExpressRoute circuit in a state dump that has its key
    (Azure shows an all-zero placeholder until the create completes)."""
    found = {}
    pending = [state]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("type", "").lower() == "microsoft.network/expressroutecircuits":
                service_key = node["properties"].get("serviceKey", "")
                if service_key.strip("0-"):
                    found[node["name"]] = service_key
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def circuit_names(inventory):
    """{host: ExpressRoute circuit name} from the inventory (host or group variables)."""
    group_vars = {}
    for group in inventory.values():
        group_vars.update(group.get("vars", {}))
    return {host: {**group_vars, **hostvars}["interconnect_azure_circuit_name"]
            for host, hostvars in inventory["_meta"]["hostvars"].items()}


def assert_job_succeeded(result, hosts):
    assert result.status == "successful" and result.rc == 0, result.describe()
    stats = result.stats
    assert set(stats["processed"]) == set(hosts), result.describe()
    assert not stats["failures"] and not stats["dark"], stats
    unignored = [event for event in result.events
                 if event["event"] == "runner_on_failed" and not event["event_data"].get("ignore_errors")]
    assert not unignored, unignored[0]
    # Every event about a host is about one of this job's hosts: nothing outside the slice ran.
    assert result.hosts_with("runner_on_ok") == set(hosts)
    assert {event["event_data"]["host"] for event in result.events if event["event_data"].get("host")} <= set(hosts)


def assert_no_secret_in_output(result, job_secrets, service_keys, written_files):
    """No credential secret and no ExpressRoute service key in the job's stdout, its events or the
    files it wrote (reports)."""
    job_secrets = dict(job_secrets, **{"service key of " + name: key for name, key in service_keys.items()})
    outputs = dict(written_files, stdout=result.stdout)
    for event in result.events:
        where = "event %s %s (task %r, host %s)" % (event["counter"], event["event"],
                                                    event["event_data"].get("task"), event["event_data"].get("host"))
        outputs[where] = json.dumps(event)
    leaks = ["%s in %s" % (label, where) for label, secret in job_secrets.items()
             for where, text in outputs.items() if secret in text]
    assert not leaks, "secrets leaked:\n" + "\n".join(leaks)


def test_jobs_converge_every_interconnect_then_tear_one_down_without_leaking_secrets(launch, cloudsim, demo_inventory):
    """A launch with the survey's defaults converges the whole inventory; a later launch answering
    the survey's state with absent and limited to one host removes that interconnect only."""
    inventory = awx.script_data(demo_inventory)
    circuits = circuit_names(inventory)
    converge, job_secrets = launch(1)
    result = converge.run(inventory, awx.launch_extra_vars(JOB_TEMPLATE), timeout=JOB_TIMEOUT)

    assert_job_succeeded(result, circuits)
    service_keys = expressroute_service_keys(sim_state(cloudsim))
    assert set(circuits.values()) <= set(service_keys), "circuits in the sim: %s" % sorted(service_keys)
    assert_no_secret_in_output(result, job_secrets, service_keys, converge.files_written_by_job())

    # What a workflow's next node (or a notification) gets: each interconnect's outcome and resource ids.
    interconnects = result.artifacts["crosscloud_interconnects"]
    assert set(interconnects) == set(circuits)
    for host, outcome in interconnects.items():
        assert (outcome["outcome"], outcome["healthy"], outcome["problems"], outcome["report"]) == (
            "healthy", True, [], "%s.md" % host), outcome
        assert outcome["ids"]["expressroute_circuit"].endswith("/expressRouteCircuits/%s" % circuits[host])
        assert outcome["ids"]["virtual_circuit"].startswith("ocid1.virtualcircuit.")

    # The teardown runs as the workflow's next node would: the converge's artifacts among its extra variables.
    target = sorted(circuits)[0]
    answers = {"interconnect_state": "absent"}
    assert not [error for question in SURVEY["spec"] for error in awx.survey_element_errors(question, answers)]
    teardown, job_secrets = launch(2)
    result = teardown.run(inventory, dict(result.artifacts, **awx.launch_extra_vars(JOB_TEMPLATE, answers)),
                          limit=target, timeout=JOB_TIMEOUT)

    assert_job_succeeded(result, [target])
    assert result.artifacts["crosscloud_interconnects"][target]["outcome"] == "removed"
    remaining = expressroute_service_keys(sim_state(cloudsim))
    assert circuits[target] not in remaining
    assert all(circuits[host] in remaining for host in circuits if host != target)
    assert_no_secret_in_output(result, job_secrets, service_keys, teardown.files_written_by_job())


def test_slices_converge_their_own_interconnects_independently(launch, cloudsim, demo_inventory):
    """AWX turns a sliced launch into one job per slice, each with its part of the inventory
    (hosts by name, round-robin), running at the same time with nothing shared."""
    slice_count = JOB_TEMPLATE["job_slice_count"]
    every_host = set(awx.script_data(demo_inventory)["_meta"]["hostvars"])
    slices = [awx.script_data(demo_inventory, number, slice_count) for number in range(1, slice_count + 1)]
    slice_hosts = [set(part["_meta"]["hostvars"]) for part in slices]
    assert all(slice_hosts) and sum(map(len, slice_hosts)) == len(every_host) and set().union(*slice_hosts) == every_host
    extra_vars = awx.launch_extra_vars(JOB_TEMPLATE)

    jobs = [launch(number) for number in range(1, slice_count + 1)]
    with ThreadPoolExecutor(max_workers=slice_count) as pool:
        results = list(pool.map(lambda pair: pair[0][0].run(pair[1], extra_vars, timeout=JOB_TIMEOUT), zip(jobs, slices)))

    for result, part in zip(results, slices):
        assert_job_succeeded(result, part["_meta"]["hostvars"])
    service_keys = expressroute_service_keys(sim_state(cloudsim))
    every_circuit = circuit_names(awx.script_data(demo_inventory))
    assert set(every_circuit.values()) <= set(service_keys), "circuits in the sim: %s" % sorted(service_keys)
    for (job, job_secrets), result in zip(jobs, results):
        assert_no_secret_in_output(result, job_secrets, service_keys, job.files_written_by_job())


def test_a_long_provider_wait_shows_its_progress_in_the_job_events(launch, cloudsim, demo_inventory):
    """With a provider that takes 36 s and a line every 8 s (an inventory variable), the job's events
    carry each call of the wait: core's runner_retry event with the state in its result, and the line of
    the progress callback the execution environment enables."""
    requests.put(cloudsim["CLOUDSIM_URL"] + "/_sim/delays", json={"provider.provision": 36},
                 verify=cloudsim["REQUESTS_CA_BUNDLE"], timeout=30).raise_for_status()
    inventory = awx.script_data(demo_inventory)
    target = sorted(inventory["_meta"]["hostvars"])[0]
    inventory["_meta"]["hostvars"][target]["interconnect_progress_interval"] = 8
    job, dummy = launch(1)
    result = job.run(inventory, awx.launch_extra_vars(JOB_TEMPLATE), limit=target, timeout=JOB_TIMEOUT)

    assert_job_succeeded(result, [target])
    retries = [event["event_data"] for event in result.events if event["event"] == "runner_retry"]
    waits = [retry["res"]["waiting"] for retry in retries if "waiting" in retry["res"]]
    assert len(waits) >= 3, [retry["res"] for retry in retries]
    assert all(wait["awaiting"].endswith("to be PROVISIONED") and wait["state"].startswith("PROVISIONING/")
               and wait["timeout_seconds"] == 1800 for wait in waits), waits
    elapsed = [wait["elapsed_seconds"] for wait in waits]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 24, elapsed
    lines = [event["stdout"] for event in result.events
             if re.match(r"\[%s\] waiting for virtual circuit \S+ to be PROVISIONED: PROVISIONING/\S+ after \d+s of "
                         r"1800s$" % target, event.get("stdout", ""))]
    assert len(lines) == len(waits), [event.get("stdout") for event in result.events]
