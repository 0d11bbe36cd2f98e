"""playbooks/interconnect.yml run the way AWX runs a job from the job template in awx/.

Each job is ``ansible-runner run`` on a private data directory laid out as AWX lays it out: the
project checkout, the inventory (imported from inventories/demo as an SCM inventory source would,
sliced as a slice job gets it) as an inventory script, the survey's launch extra vars, the job
template's forks and diff mode, and an environment holding the job settings plus the two attached
credentials as AWX injects them (awx/credential_types.yml for OCI, the built-in injector for Azure).
The collection comes from the execution environment's collections directory (see conftest). The
clouds are a cloudsim started with the demo fixture and no delays, filled into the credentials.
"""
import configparser
import importlib.util
import json
import secrets
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml
from cryptography.hazmat.primitives import serialization

from . import awx_job
from .awx_testenv import REPO_ROOT, isolated_env, run_tool, venv_tool

DEMO_INVENTORY = REPO_ROOT / "inventories" / "demo"
SIM_FIXTURE = REPO_ROOT / "cloudsim" / "fixtures" / "demo.json"
JOB_TIMEOUT = 900
CREDENTIAL_TYPE = yaml.safe_load((REPO_ROOT / "awx" / "credential_types.yml").read_text())["credential_types"][0]
JOB_TEMPLATE_SPEC = yaml.safe_load((REPO_ROOT / "awx" / "job_template.yml").read_text())["job_templates"][0]
JOB_TEMPLATE = awx_job.JobTemplate(playbook=JOB_TEMPLATE_SPEC["playbook"], forks=JOB_TEMPLATE_SPEC["forks"],
                                   diff_mode=JOB_TEMPLATE_SPEC["diff_mode"], timeout=JOB_TEMPLATE_SPEC["timeout"],
                                   verbosity=JOB_TEMPLATE_SPEC["verbosity"])


def _with_cloudsim():
    """tools/with_cloudsim.py, which starts the simulator for `make integration` too."""
    spec = importlib.util.spec_from_file_location("with_cloudsim", REPO_ROOT / "tools" / "with_cloudsim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cloudsim(tmp_path):
    """The settings of a fresh simulator (its env file as a dict), stopped after the test."""
    for required in (DEMO_INVENTORY, SIM_FIXTURE, REPO_ROOT / JOB_TEMPLATE.playbook):
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
    if len(awx_job.sliced_inventory(inventory)["_meta"]["hostvars"]) < 2:
        pytest.fail("inventories/demo needs at least two interconnects to show slicing", pytrace=False)
    return inventory


@pytest.fixture(scope="module")
def project_checkout():
    """The project as AWX checks it out: the repository's tracked and new, not ignored, files."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return REPO_ROOT, [name for name in listed if name and (REPO_ROOT / name).is_file()]


class Launch:
    """One AWX job of the template: its private data directory, environment and secrets."""

    def __init__(self, root, ident, sim_env, collections_path):
        self.root = Path(root)
        self.ident = ident
        self.collections_path = collections_path
        (self.root / "env").mkdir(parents=True)
        self.secrets = {}
        self.envvars = self._job_settings(sim_env)
        self.envvars.update(self._inject_credentials(sim_env))

    def _job_settings(self, sim_env):
        return {
            # RunJob.build_env
            "JOB_ID": self.ident, "INVENTORY_ID": "1", "PROJECT_REVISION": "HEAD",
            "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            # The execution environment's collections (/usr/share/ansible/collections in the image).
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections_path),
            # Settings > Jobs > Extra Environment Variables: trust the simulator's CA, as an EE built
            # on a corporate base image trusts a private CA.
            **{name: sim_env[name] for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")},
        }

    def _inject_credentials(self, sim_env):
        """The two credentials of the job template, filled from the simulator's settings. The sim's
        unencrypted signing key is stored encrypted under a fresh passphrase, so the passphrase path
        is exercised and there is a passphrase to look for in the output."""
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

        self.secrets["Azure client secret"] = azure["secret"]
        self.secrets["OCI key passphrase"] = passphrase
        self.secrets.update(("OCI private key, line %d" % number, line)
                            for number, line in enumerate(private_key.splitlines()) if "-----" not in line)
        env = awx_job.inject_azure_rm(azure)
        env.update(awx_job.inject_custom_credential(CREDENTIAL_TYPE, oci, self.root))
        return env

    def run(self, project, inventory, extra_vars, limit=None):
        awx_job.prepare_private_data_dir(self.root, project, inventory, JOB_TEMPLATE, extra_vars, self.envvars, limit)
        home = self.root.parent / ("home-" + self.ident)
        home.mkdir()
        return awx_job.run_job(venv_tool("ansible-runner"), self.root, JOB_TEMPLATE.playbook, self.ident,
                               isolated_env(home), JOB_TIMEOUT)

    def files_written_by_job(self, project):
        """Files the job created in its project directory (reports), as {relative path: text}."""
        copied = set(project[1])
        project_dir = self.root / "project"
        return {str(path.relative_to(project_dir)): path.read_text(errors="replace")
                for path in project_dir.rglob("*") if path.is_file() and str(path.relative_to(project_dir)) not in copied}


@pytest.fixture
def launch(tmp_path, cloudsim, ee_collections):
    """Factory of jobs against this test's simulator: launch(job_id) -> Launch. AWX's ident for a job
    is its numeric id (JOB_ID), which the job's callbacks parse as an integer."""
    return lambda job_id: Launch(tmp_path / ("job-%d" % job_id), str(job_id), cloudsim, ee_collections)


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


def test_jobs_converge_every_interconnect_then_tear_one_down_without_leaking_secrets(
        launch, cloudsim, demo_inventory, project_checkout):
    """A launch with the survey's defaults converges the whole inventory; a later launch answering
    the survey's state with absent and limited to one host removes that interconnect only."""
    survey = JOB_TEMPLATE_SPEC["related"]["survey_spec"]
    inventory = awx_job.sliced_inventory(demo_inventory)
    circuits = circuit_names(inventory)
    converge = launch(1)
    result = converge.run(project_checkout, inventory, awx_job.survey_extra_vars(survey))

    assert_job_succeeded(result, circuits)
    service_keys = expressroute_service_keys(sim_state(cloudsim))
    assert set(circuits.values()) <= set(service_keys), "circuits in the sim: %s" % sorted(service_keys)
    assert_no_secret_in_output(result, converge.secrets, service_keys, converge.files_written_by_job(project_checkout))

    target = sorted(circuits)[0]
    answers = {"interconnect_state": "absent"}
    assert not [problem for question in survey["spec"] for problem in awx_job.survey_answer_problems(question, answers)]
    teardown = launch(2)
    result = teardown.run(project_checkout, inventory, awx_job.survey_extra_vars(survey, answers), limit=target)

    assert_job_succeeded(result, [target])
    remaining = expressroute_service_keys(sim_state(cloudsim))
    assert circuits[target] not in remaining
    assert all(circuits[host] in remaining for host in circuits if host != target)
    assert_no_secret_in_output(result, teardown.secrets, service_keys, teardown.files_written_by_job(project_checkout))


def test_slices_converge_their_own_interconnects_independently(launch, cloudsim, demo_inventory, project_checkout):
    """AWX turns a sliced launch into one job per slice, each with its part of the inventory
    (hosts by name, round-robin), running at the same time with nothing shared."""
    slice_count = JOB_TEMPLATE_SPEC["job_slice_count"]
    every_host = set(awx_job.sliced_inventory(demo_inventory)["_meta"]["hostvars"])
    slices = [awx_job.sliced_inventory(demo_inventory, number, slice_count) for number in range(1, slice_count + 1)]
    slice_hosts = [set(part["_meta"]["hostvars"]) for part in slices]
    assert all(slice_hosts) and sum(map(len, slice_hosts)) == len(every_host) and set().union(*slice_hosts) == every_host
    extra_vars = awx_job.survey_extra_vars(JOB_TEMPLATE_SPEC["related"]["survey_spec"])

    jobs = [launch(number) for number in range(1, slice_count + 1)]
    with ThreadPoolExecutor(max_workers=slice_count) as pool:
        results = list(pool.map(lambda pair: pair[0].run(project_checkout, pair[1], extra_vars), zip(jobs, slices)))

    for result, part in zip(results, slices):
        assert_job_succeeded(result, part["_meta"]["hostvars"])
    service_keys = expressroute_service_keys(sim_state(cloudsim))
    every_circuit = circuit_names(awx_job.sliced_inventory(demo_inventory))
    assert set(every_circuit.values()) <= set(service_keys), "circuits in the sim: %s" % sorted(service_keys)
    for job, result in zip(jobs, results):
        assert_no_secret_in_output(result, job.secrets, service_keys, job.files_written_by_job(project_checkout))
