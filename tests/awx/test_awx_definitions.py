"""The objects in awx/ are what AWX accepts, and they fit what the collection reads."""
import json
import stat
import subprocess
import sys

import pytest
import yaml

from . import awx_job
from .awx_testenv import REPO_ROOT

CREDENTIAL_TYPE = yaml.safe_load((REPO_ROOT / "awx" / "credential_types.yml").read_text())["credential_types"][0]
JOB_TEMPLATE = yaml.safe_load((REPO_ROOT / "awx" / "job_template.yml").read_text())["job_templates"][0]
SURVEY = JOB_TEMPLATE["related"]["survey_spec"]
AZURE_CREDENTIAL_TYPE = {"name": "Microsoft Azure Resource Manager", "kind": "cloud", "type": "credential_type"}
# The contract: what the OCI credential injects for the modules.
OCI_ENV = {"OCI_USER_ID", "OCI_USER_FINGERPRINT", "OCI_TENANCY", "OCI_REGION", "OCI_USER_KEY_FILE",
           "OCI_USER_KEY_PASS_PHRASE", "OCI_SERVICE_ENDPOINT"}
SURVEY_TO_ARGSPEC_TYPE = {"text": "str", "textarea": "str", "multiplechoice": "str", "integer": "int", "float": "float"}


@pytest.fixture(scope="module")
def module_env_fallbacks(ee_collections):
    """Environment variables the shipped module_utils read, per cloud: imported from the collection
    as the execution environment installs it."""
    probe = (
        "import json\n"
        "from ansible_collections.crosscloud.interconnect.plugins.module_utils import azure, oci\n"
        "def names(spec):\n"
        "    return sorted(n for o in spec.values() if o.get('fallback') for n in o['fallback'][1])\n"
        "print(json.dumps({'azure': names(azure.AZURE_AUTH_SPEC), 'oci': names(oci.oci_argument_spec())}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(ee_collections)},
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return {cloud: set(names) for cloud, names in json.loads(result.stdout).items()}


@pytest.fixture(scope="module")
def role_options():
    specs = yaml.safe_load((REPO_ROOT / "roles" / "interconnect" / "meta" / "argument_specs.yml").read_text())
    return specs["argument_specs"]["main"]["options"]


def test_oci_credential_type_is_accepted_by_awx():
    assert awx_job.credential_type_problems(CREDENTIAL_TYPE) == []
    assert CREDENTIAL_TYPE["kind"] == "cloud"  # attachable to job templates next to the Azure credential
    assert CREDENTIAL_TYPE["natural_key"] == {"name": CREDENTIAL_TYPE["name"], "kind": "cloud", "type": "credential_type"}


def test_oci_credential_type_keeps_key_material_secret():
    fields = {field["id"]: field for field in CREDENTIAL_TYPE["inputs"]["fields"]}
    assert fields["private_key"].get("secret") and fields["passphrase"].get("secret")
    assert fields["private_key"]["format"] == "ssh_private_key" and fields["private_key"]["multiline"]
    assert not fields["service_endpoint"].get("secret")
    # extra_vars would put values into the job's events and stdout; env and files do not.
    assert set(CREDENTIAL_TYPE["injectors"]) == {"file", "env"}
    assert set(CREDENTIAL_TYPE["inputs"]["required"]) == {"user", "fingerprint", "tenancy", "region", "private_key"}


def test_oci_credential_injects_what_the_oci_modules_read(module_env_fallbacks, tmp_path):
    assert set(CREDENTIAL_TYPE["injectors"]["env"]) == OCI_ENV
    assert OCI_ENV <= module_env_fallbacks["oci"]

    (tmp_path / "env").mkdir()
    key = "-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----"
    inputs = {"user": "ocid1.user.oc1..u", "fingerprint": "aa:bb", "tenancy": "ocid1.tenancy.oc1..t",
              "region": "ap-tokyo-1", "private_key": key, "passphrase": "", "service_endpoint": ""}
    env = awx_job.inject_custom_credential(CREDENTIAL_TYPE, inputs, tmp_path)
    key_file = tmp_path / "env" / env.pop("OCI_USER_KEY_FILE").rsplit("/", 1)[1]
    assert key_file.read_text() == key + "\n"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert env == {"OCI_USER_ID": inputs["user"], "OCI_USER_FINGERPRINT": inputs["fingerprint"],
                   "OCI_TENANCY": inputs["tenancy"], "OCI_REGION": inputs["region"],
                   "OCI_USER_KEY_PASS_PHRASE": "", "OCI_SERVICE_ENDPOINT": ""}


def test_builtin_azure_credential_covers_the_azure_modules(module_env_fallbacks):
    env = awx_job.inject_azure_rm({"subscription": "s", "client": "c", "secret": "x", "tenant": "t",
                                   "cloud_environment": "AzureCloud"})
    assert set(env) == {"AZURE_SUBSCRIPTION_ID", "AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT",
                        "AZURE_CLOUD_ENVIRONMENT"}
    assert set(env) <= module_env_fallbacks["azure"]


def test_survey_is_accepted_by_awx():
    assert awx_job.survey_spec_problems(SURVEY) == []


def test_survey_questions_are_options_of_the_role(role_options):
    for question in SURVEY["spec"]:
        option = role_options.get(question["variable"])
        assert option is not None, "%s is no option of the role's main entry point" % question["variable"]
        assert SURVEY_TO_ARGSPEC_TYPE[question["type"]] == option.get("type", "str"), question["variable"]
        if question["type"] == "multiplechoice":
            assert question["choices"] == option["choices"], question["variable"]
        elif "choices" in option:
            assert all(question["min"] <= choice <= question["max"] for choice in option["choices"]), question
        if "default" in question:
            assert question["default"] == option.get("default"), question["variable"]


def test_survey_launches_with_its_defaults_and_keeps_inventory_values():
    """A launch without answers (schedules, slices, workflow nodes) must be valid, and questions
    nobody answered must not override the per-interconnect inventory values."""
    required = [question for question in SURVEY["spec"] if question["required"]]
    assert all("default" in question for question in required)
    assert all("default" not in question for question in SURVEY["spec"] if not question["required"])
    launch = awx_job.survey_extra_vars(SURVEY)
    assert launch == {question["variable"]: question["default"] for question in required}
    assert all(not awx_job.survey_answer_problems(question, launch) for question in SURVEY["spec"])


@pytest.mark.parametrize("answers, problem", [
    ({"interconnect_state": "gone"}, "not a choice"),
    ({"interconnect_bandwidth_gbps": 40}, "above"),
    ({"interconnect_bgp_cidr": "10.0.0.0"}, "below"),
])
def test_survey_rejects_bad_answers(answers, problem):
    """AWX refuses these at launch, before a job starts."""
    questions = {question["variable"]: question for question in SURVEY["spec"]}
    (variable,) = answers
    assert any(problem in message for message in awx_job.survey_answer_problems(questions[variable], answers))


def test_job_template_runs_the_playbook_with_both_credentials():
    playbook = yaml.safe_load((REPO_ROOT / JOB_TEMPLATE["playbook"]).read_text())
    assert {play["hosts"] for play in playbook} == {"interconnects"}
    credential_types = [credential["credential_type"] for credential in JOB_TEMPLATE["related"]["credentials"]]
    assert credential_types == [AZURE_CREDENTIAL_TYPE, CREDENTIAL_TYPE["natural_key"]]
    assert JOB_TEMPLATE["job_slice_count"] >= 2 and JOB_TEMPLATE["forks"] >= 1
    assert JOB_TEMPLATE["survey_enabled"] and JOB_TEMPLATE["ask_limit_on_launch"]
    assert JOB_TEMPLATE["natural_key"]["name"] == JOB_TEMPLATE["name"]


def test_slices_deal_hosts_by_name_round_robin():
    """The inventory a slice job gets, as AWX computes it (hosts ordered by name)."""
    inventory = {"all": {"children": ["interconnects"]},
                 "interconnects": {"hosts": ["e", "b", "a", "d", "c"], "vars": {"v": 1}},
                 "_meta": {"hostvars": {name: {"n": name} for name in "abcde"}}}
    second = awx_job.sliced_inventory(inventory, 2, 2)
    assert second["interconnects"] == {"hosts": ["b", "d"], "vars": {"v": 1}}
    assert second["_meta"]["hostvars"] == {"b": {"n": "b"}, "d": {"n": "d"}}
    assert sorted(awx_job.sliced_inventory(inventory, 1, 2)["_meta"]["hostvars"]) == ["a", "c", "e"]
    assert sorted(awx_job.sliced_inventory(inventory)["_meta"]["hostvars"]) == list("abcde")
