"""The objects in awx/ are what AWX accepts, and they fit what the collection reads.

AWX's rules are those of tests/awx/awx_rules.yml, applied by awx_controller.py; both cite the AWX
sources they restate. Each rule is also shown refusing a broken copy of the product's file, with
the reason AWX gives, so a check that stopped checking would fail here.
"""
import copy
import json
import stat
import subprocess
import sys

import pytest
import yaml
from ansible.utils.vars import isidentifier

from . import awx_controller as awx
from .awx_testenv import REPO_ROOT

CREDENTIAL_TYPES = yaml.safe_load((REPO_ROOT / "awx" / "credential_types.yml").read_text())["credential_types"]
CREDENTIAL_TYPE = CREDENTIAL_TYPES[0]
AZURE_CERTIFICATE_TYPE = CREDENTIAL_TYPES[1]
JOB_TEMPLATE = yaml.safe_load((REPO_ROOT / "awx" / "job_template.yml").read_text())["job_templates"][0]
SURVEY = JOB_TEMPLATE["related"]["survey_spec"]
AZURE_RM = awx.RULES["azure_rm"]
# The contract: what the OCI credential injects for the modules.
OCI_ENV = {"OCI_USER_ID", "OCI_USER_FINGERPRINT", "OCI_TENANCY", "OCI_REGION", "OCI_USER_KEY_FILE",
           "OCI_USER_KEY_PASS_PHRASE", "OCI_SERVICE_ENDPOINT"}
SURVEY_TO_ARGSPEC_TYPE = {"text": "str", "textarea": "str", "integer": "int", "float": "float"}


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


def changed(document, change):
    broken = copy.deepcopy(document)
    change(broken)
    return broken


def fields_of(credential_type):
    return {field["id"]: field for field in credential_type["inputs"]["fields"]}


# Credential types ---------------------------------------------------------------------------------

def test_oci_credential_type_is_accepted_by_awx():
    assert awx.credential_type_errors(CREDENTIAL_TYPE) == []
    # awx import finds it again by its natural key: name and kind (awx_rules.yml natural_keys).
    assert CREDENTIAL_TYPE["natural_key"] == {"name": CREDENTIAL_TYPE["name"], "kind": CREDENTIAL_TYPE["kind"],
                                              "type": "credential_type"}


@pytest.mark.parametrize("change, reason", [
    (lambda ct: ct.update(kind="oci"), "kind must be one of"),
    (lambda ct: fields_of(ct)["region"].update(type="integer"), "'integer' is not one of"),
    (lambda ct: fields_of(ct)["region"].update(placeholder="ap-tokyo-1"), "Additional properties are not allowed"),
    (lambda ct: fields_of(ct)["region"].update(id="tower"), '"tower" is a reserved field name'),
    (lambda ct: fields_of(ct)["region"].update(id="user"), "field IDs must be unique"),
    (lambda ct: fields_of(ct)["region"].update(id="oci-region"), "does not match"),
    (lambda ct: fields_of(ct)["region"].update(default=1), "is not a string"),
    (lambda ct: fields_of(ct)["passphrase"].update(type="boolean"), "secret not allowed for boolean type"),
    (lambda ct: ct["injectors"]["env"].update(OCI_REGION="{{ oci_region }}"), "uses an undefined field"),
    (lambda ct: ct["injectors"]["env"].update(OCI_USER_KEY_FILE="{{ tower.filename }}"),
     "Must define unnamed file injector"),
    (lambda ct: ct["injectors"]["env"].update(OCI_REGION="{{ region"), "Syntax error rendering template"),
    (lambda ct: ct["injectors"]["env"].update(ANSIBLE_OCI_REGION="{{ region }}"), "may affect Ansible configuration"),
    (lambda ct: ct["injectors"]["env"].update(JOB_ID="{{ user }}"), "is not allowed to be used in credentials"),
    (lambda ct: ct["injectors"]["file"].update(template="{{ private_key }}"), "Must use multi-file syntax"),
    (lambda ct: ct["injectors"].update(files=ct["injectors"].pop("file")), "Additional properties are not allowed"),
])
def test_awx_refuses_a_broken_credential_type(change, reason):
    errors = awx.credential_type_errors(changed(CREDENTIAL_TYPE, change))
    assert any(reason in error for error in errors), errors


def test_oci_credential_type_keeps_key_material_secret():
    fields = fields_of(CREDENTIAL_TYPE)
    assert fields["private_key"].get("secret") and fields["passphrase"].get("secret")
    assert fields["private_key"]["format"] == "ssh_private_key" and fields["private_key"]["multiline"]
    assert not fields["service_endpoint"].get("secret")
    # extra_vars would put values into the job's events and stdout; env and files do not.
    assert set(CREDENTIAL_TYPE["injectors"]) == {"file", "env"}
    assert set(CREDENTIAL_TYPE["inputs"]["required"]) == {"user", "fingerprint", "tenancy", "region", "private_key"}


def test_oci_credential_injects_what_the_oci_modules_read(module_env_fallbacks, tmp_path):
    (tmp_path / "env").mkdir()
    key = "-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----"
    inputs = {"user": "ocid1.user.oc1..u", "fingerprint": "aa:bb", "tenancy": "ocid1.tenancy.oc1..t",
              "region": "ap-tokyo-1", "private_key": key, "passphrase": "", "service_endpoint": ""}
    env = awx.inject_credential(CREDENTIAL_TYPE, inputs, str(tmp_path))

    assert set(env) == OCI_ENV
    assert OCI_ENV <= module_env_fallbacks["oci"]
    key_file = tmp_path / "env" / env.pop("OCI_USER_KEY_FILE").rsplit("/", 1)[1]
    assert key_file.read_text() == key + "\n"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Empty inputs are left out of the template namespace, so they render as ''.
    assert env == {"OCI_USER_ID": inputs["user"], "OCI_USER_FINGERPRINT": inputs["fingerprint"],
                   "OCI_TENANCY": inputs["tenancy"], "OCI_REGION": inputs["region"],
                   "OCI_USER_KEY_PASS_PHRASE": "", "OCI_SERVICE_ENDPOINT": ""}


def test_azure_certificate_credential_type_is_accepted_and_injects_what_the_azure_modules_read(module_env_fallbacks,
                                                                                               tmp_path):
    assert awx.credential_type_errors(AZURE_CERTIFICATE_TYPE) == []
    fields = fields_of(AZURE_CERTIFICATE_TYPE)
    assert fields["certificate"].get("secret") and fields["certificate_password"].get("secret")
    (tmp_path / "env").mkdir()
    pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIC\n" \
          "-----END CERTIFICATE-----\n"
    env = awx.inject_credential(AZURE_CERTIFICATE_TYPE, {"subscription": "s", "client": "c", "tenant": "t",
                                                         "certificate": pem, "certificate_password": "",
                                                         "cloud_environment": ""}, str(tmp_path))
    assert set(env) <= module_env_fallbacks["azure"]
    assert (tmp_path / "env" / env.pop("AZURE_X509_CERTIFICATE_PATH").rsplit("/", 1)[1]).read_text() == pem
    # No AZURE_SECRET: the modules' auth_source auto signs in with the certificate.
    assert env == {"AZURE_SUBSCRIPTION_ID": "s", "AZURE_CLIENT_ID": "c", "AZURE_TENANT": "t",
                   "AZURE_CLIENT_CERTIFICATE_PASSWORD": "", "AZURE_CLOUD_ENVIRONMENT": ""}


def test_builtin_azure_credential_covers_the_azure_modules(module_env_fallbacks):
    """The job template attaches AWX's built-in Azure type; as a service principal (what docs/awx.md
    asks for) it injects only variables the Azure module_utils read."""
    env = awx.inject_azure_rm({"subscription": "s", "client": "c", "secret": "x", "tenant": "t",
                               "cloud_environment": "AzureCloud"})
    assert env == {"AZURE_SUBSCRIPTION_ID": "s", "AZURE_CLIENT_ID": "c", "AZURE_SECRET": "x", "AZURE_TENANT": "t",
                   "AZURE_CLOUD_ENVIRONMENT": "AzureCloud"}
    assert set(env) <= module_env_fallbacks["azure"]


# Survey -------------------------------------------------------------------------------------------

def test_survey_is_accepted_by_awx():
    assert awx.survey_spec_errors(SURVEY) == []


@pytest.mark.parametrize("change, reason", [
    (lambda survey: survey.pop("description"), "Field 'description' is missing"),
    (lambda survey: survey.update(spec=[]), "'spec' doesn't contain any items"),
    (lambda survey: survey["spec"][0].update(required="yes"), "missing or of the wrong type"),
    (lambda survey: survey["spec"][1].update(variable="interconnect_state"), "duplicated in survey question 1"),
    (lambda survey: survey["spec"][3].update(type="number"), "is not one of"),
    (lambda survey: survey["spec"][3].update(default="3"), "Default choice must be answered from the choices"),
    (lambda survey: survey["spec"][4].update(max=18.5), "The max limit in survey question 4 expected to be integer"),
    (lambda survey: survey["spec"][0].update(default="gone"), "Default choice must be answered from the choices"),
    (lambda survey: survey["spec"][0].pop("choices"), "must specify choices"),
])
def test_awx_refuses_a_broken_survey(change, reason):
    errors = awx.survey_spec_errors(changed(SURVEY, change))
    assert any(reason in error for error in errors), errors


def test_survey_defaults_hold_against_their_own_questions():
    """AWX drops a default that fails its own question's validation, without a word
    (_update_unified_job_kwargs): every default here must pass."""
    for question in SURVEY["spec"]:
        if "default" in question:
            assert awx.survey_element_errors(question, {question["variable"]: question["default"]}) == [], question


def test_survey_launches_with_its_defaults_and_keeps_inventory_values():
    """A launch without answers (schedules, slices, workflow nodes) must be valid, and questions
    nobody answered must not override the per-interconnect inventory values."""
    required = [question for question in SURVEY["spec"] if question["required"]]
    assert all("default" in question for question in required)
    assert all("default" not in question for question in SURVEY["spec"] if not question["required"])
    launch = awx.launch_extra_vars(JOB_TEMPLATE)
    assert launch == {question["variable"]: question["default"] for question in required}
    assert [error for question in SURVEY["spec"] for error in awx.survey_element_errors(question, launch)] == []


def test_survey_questions_are_options_of_the_role(role_options):
    for question in SURVEY["spec"]:
        assert isidentifier(question["variable"]), "%s is no valid Ansible variable name" % question["variable"]
        option = role_options.get(question["variable"])
        assert option is not None, "%s is no option of the role's main entry point" % question["variable"]
        if question["type"] == "multiplechoice":
            # AWX answers a choice as a string; the role's option converts it to its own type.
            assert question["choices"] == [str(choice) for choice in option["choices"]], question["variable"]
        else:
            assert SURVEY_TO_ARGSPEC_TYPE[question["type"]] == option.get("type", "str"), question["variable"]
        if question["type"] != "multiplechoice" and "choices" in option:
            assert all(question["min"] <= choice <= question["max"] for choice in option["choices"]), question
        if "default" in question:
            assert question["default"] == option.get("default"), question["variable"]


@pytest.mark.parametrize("answers, reason", [
    ({"interconnect_state": "gone"}, "expected to be one of"),
    ({"interconnect_bandwidth_gbps": "3"}, "expected to be one of"),
    ({"interconnect_bandwidth_gbps": 2}, "expected to be one of"),
    ({"interconnect_bgp_cidr": "10.0.0.0"}, "too small"),
    ({"interconnect_azure_circuit_name": ""}, "too small"),
])
def test_survey_rejects_bad_answers(answers, reason):
    """AWX refuses these at launch, before a job starts."""
    questions = {question["variable"]: question for question in SURVEY["spec"]}
    (variable,) = answers
    errors = awx.survey_element_errors(questions[variable], answers)
    assert any(reason in error for error in errors), errors


# Job template -------------------------------------------------------------------------------------

def test_job_template_fields_are_what_awx_takes():
    assert awx.job_template_errors(JOB_TEMPLATE) == []


@pytest.mark.parametrize("change, reason", [
    (lambda jt: jt.update(slice_count=2), "slice_count is not a field AWX accepts"),
    (lambda jt: jt.update(verbosity=6), "verbosity=6 is not one of"),
    (lambda jt: jt.update(job_type="scan"), "job_type='scan' is not one of"),
    (lambda jt: jt.update(job_slice_count=0), "job_slice_count=0 is below 1"),
    (lambda jt: jt.update(forks="10"), "forks='10' is not of type int"),
    (lambda jt: jt.update(organization={"name": "Other", "type": "organization"}), "AWX takes it from the project"),
    (lambda jt: jt["related"].update(survey=jt["related"].pop("survey_spec")), "related survey is nothing"),
    (lambda jt: jt["natural_key"].pop("organization"), "natural_key is no natural key of a job_template"),
    (lambda jt: jt["related"]["credentials"][1]["credential_type"].pop("kind"), "no natural key of a credential_type"),
])
def test_awx_would_not_take_a_broken_job_template(change, reason):
    errors = awx.job_template_errors(changed(JOB_TEMPLATE, change))
    assert any(reason in error for error in errors), errors


def test_job_template_runs_the_playbook_with_both_credentials():
    playbook = yaml.safe_load((REPO_ROOT / JOB_TEMPLATE["playbook"]).read_text())
    assert {play["hosts"] for play in playbook} == {"interconnects"}
    credential_types = [credential["credential_type"] for credential in JOB_TEMPLATE["related"]["credentials"]]
    azure_rm = {"name": AZURE_RM["name"], "kind": AZURE_RM["kind"], "type": "credential_type"}
    assert credential_types == [azure_rm, CREDENTIAL_TYPE["natural_key"]]
    assert JOB_TEMPLATE["job_slice_count"] >= 2 and JOB_TEMPLATE["forks"] >= 1
    assert JOB_TEMPLATE["survey_enabled"] and JOB_TEMPLATE["ask_limit_on_launch"]
    assert JOB_TEMPLATE["natural_key"] == {"organization": JOB_TEMPLATE["project"]["organization"],
                                           "name": JOB_TEMPLATE["name"], "type": "job_template"}
