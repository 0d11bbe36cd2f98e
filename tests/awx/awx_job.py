"""What AWX does around ansible-runner, replayed for the tests.

Each function mirrors the AWX code named in its docstring (ansible/awx, awx/main): validating a
custom credential type and injecting it, the built-in Azure injector, survey validation and
defaults, inventory slicing and the inventory script, and the private data directory a job runs in.
Reading the job's artifacts is ansible-runner's own layout.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

NAME_PATTERN = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")
FILE_TEMPLATE_PATTERN = re.compile(r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$")
INPUT_FIELD_KEYS = {"id", "label", "type", "help_text", "secret", "multiline", "format", "choices",
                    "ask_at_runtime", "default"}
STRING_ONLY_KEYS = ("choices", "multiline", "format", "secret")
# settings.ENV_BLOCKLIST: variables AWX itself sets for a job; credentials may not inject them.
ENV_BLOCKLIST = frozenset((
    "VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID", "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES", "CALLBACK_QUEUE",
    "CALLBACK_CONNECTION", "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS", "AWX_HOST", "PROJECT_REVISION",
    "SUPERVISOR_CONFIG_PATH",
))
SURVEY_TYPES = {"text": str, "textarea": str, "password": str, "multiplechoice": str, "multiselect": str,
                "integer": int, "float": (float, int)}


class _Namespace:
    """Attribute bag standing in for AWX's ``tower`` template namespace."""


def _tower_namespace(file_names, path_of):
    """``tower.filename`` for a single file template, ``tower.filename.<name>`` for named ones."""
    tower = _Namespace()
    for file_label in file_names:
        if "." in file_label:
            if not hasattr(tower, "filename"):
                tower.filename = _Namespace()
            setattr(tower.filename, file_label.split(".", 1)[1], path_of(file_label))
        else:
            tower.filename = path_of(file_label)
    return tower


def credential_type_problems(credential_type):
    """Why AWX would refuse this custom credential type (CredentialTypeInputField and
    CredentialTypeInjectorField validation in fields.py); an empty list when it accepts it."""
    problems = []
    fields = credential_type["inputs"].get("fields", [])
    ids = [field.get("id") for field in fields]
    for field in fields:
        name = field.get("id")
        if not NAME_PATTERN.match(name or "") or name == "tower":
            problems.append("invalid input id %r" % name)
        if "label" not in field:
            problems.append("input %s has no label" % name)
        if set(field) - INPUT_FIELD_KEYS:
            problems.append("input %s has unknown keys %s" % (name, sorted(set(field) - INPUT_FIELD_KEYS)))
        if field.get("type", "string") not in ("string", "boolean"):
            problems.append("input %s has type %r" % (name, field["type"]))
        if field.get("type", "string") != "string" and any(key in field for key in STRING_ONLY_KEYS):
            problems.append("input %s: %s only apply to strings" % (name, STRING_ONLY_KEYS))
        if field.get("format", "url") not in ("url", "ssh_private_key"):
            problems.append("input %s has format %r" % (name, field["format"]))
    if len(set(ids)) != len(ids):
        problems.append("input ids repeat: %s" % ids)
    problems += ["required %r is no input" % name for name in credential_type["inputs"].get("required", [])
                 if name not in ids]

    injectors = credential_type["injectors"]
    problems += ["unknown injector kind %r" % kind for kind in injectors if kind not in ("file", "env", "extra_vars")]
    file_names = list(injectors.get("file", {}))
    problems += ["invalid file template name %r" % name for name in file_names if not FILE_TEMPLATE_PATTERN.match(name)]
    if "template" in file_names and len(file_names) > 1:
        problems.append("multiple files need the template.<name> syntax")
    for env_var, value in injectors.get("env", {}).items():
        if not NAME_PATTERN.match(env_var) or env_var.startswith("ANSIBLE_") or env_var in ENV_BLOCKLIST:
            problems.append("env var %s may not be injected" % env_var)
        if not value.isascii():
            problems.append("env var %s template is not ASCII" % env_var)

    namespace = dict.fromkeys(ids, "EXAMPLE")
    namespace["tower"] = _tower_namespace(file_names, lambda label: "EXAMPLE_FILENAME")
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, templates in injectors.items():
        for key, template in templates.items():
            try:
                strict.from_string(template).render(namespace)
            except UndefinedError as error:
                problems.append("%s %s uses an undefined field (%s)" % (kind, key, error))
    return problems


def inject_custom_credential(credential_type, inputs, private_data_dir):
    """Environment a job gets from a credential of a custom type (CredentialType.inject_credential):
    file templates are written under env/ of the private data directory (mode 0600) and their paths
    offered as ``tower.filename``; empty inputs stay undefined and so render as ''."""
    fields = credential_type["inputs"].get("fields", [])
    namespace = {name: value for name, value in inputs.items() if value != ""}
    for field in fields:
        if field.get("format") == "ssh_private_key" and field["id"] in namespace:
            if not namespace[field["id"]].endswith("\n"):
                namespace[field["id"]] += "\n"
    sandbox = ImmutableSandboxedEnvironment()
    file_templates = credential_type["injectors"].get("file", {})
    written = {}
    for file_label, template in file_templates.items():
        handle, path = tempfile.mkstemp(dir=os.path.join(private_data_dir, "env"))
        with os.fdopen(handle, "w") as stream:
            stream.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        written[file_label] = path
    namespace["tower"] = _tower_namespace(file_templates, written.get)
    return {env_var: sandbox.from_string(template).render(**namespace)
            for env_var, template in credential_type["injectors"].get("env", {}).items()}


def inject_azure_rm(inputs):
    """Environment from the built-in "Microsoft Azure Resource Manager" credential
    (injectors.azure_rm): a service principal when client and tenant are set."""
    env = {"AZURE_SUBSCRIPTION_ID": inputs.get("subscription", "")}
    if inputs.get("client") and inputs.get("tenant"):
        env.update(AZURE_CLIENT_ID=inputs["client"], AZURE_TENANT=inputs["tenant"],
                   AZURE_SECRET=inputs.get("secret", ""))
    else:
        env.update(AZURE_AD_USER=inputs.get("username", ""), AZURE_PASSWORD=inputs.get("password", ""))
    if inputs.get("cloud_environment"):
        env["AZURE_CLOUD_ENVIRONMENT"] = inputs["cloud_environment"]
    return env


def survey_spec_problems(survey):
    """Why the survey_spec endpoint would refuse this spec (JobTemplateSurveySpec._validate_spec_data)."""
    problems = ["survey %s must be a %s" % (key, kind.__name__)
                for key, kind in (("name", str), ("description", str), ("spec", list))
                if not isinstance(survey.get(key), kind)]
    if problems or not survey["spec"]:
        return problems or ["survey has no questions"]
    seen = set()
    for index, question in enumerate(survey["spec"]):
        for key, kind in (("type", str), ("question_name", str), ("variable", str), ("required", bool)):
            if not isinstance(question.get(key), kind):
                problems.append("question %d: %s must be a %s" % (index, key, kind.__name__))
        variable, qtype = question.get("variable"), question.get("type")
        if variable in seen:
            problems.append("question %d: variable %s repeats" % (index, variable))
        seen.add(variable)
        if qtype not in SURVEY_TYPES:
            problems.append("question %d: type %r is not one of %s" % (index, qtype, sorted(SURVEY_TYPES)))
            continue
        if question.get("default", "") != "" and not isinstance(question["default"], SURVEY_TYPES[qtype]):
            problems.append("question %d: default %r is no %s" % (index, question["default"], qtype))
        problems += ["question %d: %s must be an integer" % (index, key)
                     for key in ("min", "max") if question.get(key) is not None and not isinstance(question[key], int)]
        if qtype in ("multiplechoice", "multiselect"):
            choices = _choices(question)
            if not choices:
                problems.append("question %d: %s needs choices" % (index, qtype))
            if "default" in question and question["default"] not in choices:
                problems.append("question %d: default %r is not a choice" % (index, question["default"]))
    return problems


def _choices(question):
    choices = question.get("choices", [])
    return [choice for choice in choices.splitlines() if choice.strip()] if isinstance(choices, str) else choices


def survey_answer_problems(question, answers):
    """Why AWX would reject the answer to one question (SurveyJobTemplateMixin._survey_element_validation)."""
    variable = question["variable"]
    if variable not in answers:
        return ["%s is required" % variable] if question["required"] else []
    value = answers[variable]
    if not isinstance(value, SURVEY_TYPES[question["type"]]) or isinstance(value, bool):
        return ["%s=%r is no %s" % (variable, value, question["type"])]
    size = len(value) if isinstance(value, str) else value
    if question.get("min") not in (None, "") and size < question["min"]:
        return ["%s=%r is below %s" % (variable, value, question["min"])]
    if question.get("max") not in (None, "") and size > question["max"]:
        return ["%s=%r is above %s" % (variable, value, question["max"])]
    if question["type"] == "multiplechoice" and value not in _choices(question):
        return ["%s=%r is not a choice" % (variable, value)]
    return []


def survey_extra_vars(survey, answers=None):
    """Extra vars of a launch: every valid survey default, then the answers given
    (SurveyJobTemplateMixin._update_unified_job_kwargs). Unanswered questions without a default
    contribute nothing, so the inventory's values stand."""
    extra_vars = {}
    for question in survey["spec"]:
        if question.get("default") is not None:
            default = {question["variable"]: question["default"]}
            if not survey_answer_problems(question, default):
                extra_vars.update(default)
    extra_vars.update(answers or {})
    return extra_vars


def sliced_inventory(inventory, slice_number=1, slice_count=1):
    """The hosts of one slice job (Inventory.get_script_data): hosts sorted by name, every
    ``slice_count``-th one starting at ``slice_number`` - 1; groups keep only those hosts."""
    hostvars = inventory.get("_meta", {}).get("hostvars", {})
    hosts = sorted(set(hostvars) | {host for group in inventory.values() for host in group.get("hosts", [])})
    if slice_count > 1:
        hosts = hosts[slice_number - 1::slice_count]
    kept = set(hosts)
    data = {}
    for name, group in inventory.items():
        if name == "_meta":
            continue
        data[name] = dict(group)
        if "hosts" in group:
            data[name]["hosts"] = [host for host in group["hosts"] if host in kept]
    data["_meta"] = {"hostvars": {host: hostvars.get(host, {}) for host in hosts}}
    return data


@dataclass
class JobTemplate:
    """The launch-relevant fields of a job template (awx/job_template.yml)."""
    playbook: str
    forks: int
    diff_mode: bool
    timeout: int
    verbosity: int = 0

    def cmdline(self, limit=None):
        """ansible-playbook arguments AWX adds (RunJob.build_args)."""
        args = ["--forks=%d" % self.forks]
        if self.diff_mode:
            args.append("--diff")
        if self.verbosity:
            args.append("-" + "v" * self.verbosity)
        if limit:
            args += ["--limit", limit]
        return args


def prepare_private_data_dir(private_data_dir, project, inventory, job_template, extra_vars, envvars, limit=None):
    """The directory ansible-runner gets from AWX: project/ (a copy of the project checkout, given as
    (root, relative paths)), inventory/hosts
    (an executable script printing the job's inventory, BaseTask.build_inventory), env/extravars,
    env/envvars (job environment plus injected credentials), env/cmdline and env/settings.
    Credential files must already be under env/ (inject_custom_credential writes them there)."""
    root = Path(private_data_dir)
    project_root, project_files = project
    for relative in project_files:
        target = root / "project" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(project_root) / relative, target)
    inventory_script = root / "inventory" / "hosts"
    inventory_script.parent.mkdir(parents=True, exist_ok=True)
    inventory_script.write_text("#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(%r)\n" % json.dumps(inventory))
    inventory_script.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IWUSR)
    env_dir = root / "env"
    env_dir.mkdir(exist_ok=True)
    (env_dir / "extravars").write_text(json.dumps(extra_vars))
    (env_dir / "envvars").write_text(json.dumps(envvars))
    (env_dir / "cmdline").write_text(" ".join(job_template.cmdline(limit)))
    (env_dir / "settings").write_text(json.dumps({"job_timeout": job_template.timeout, "suppress_ansible_output": True}))
    return root


@dataclass
class JobResult:
    """Artifacts ansible-runner leaves in artifacts/<ident>/."""
    status: str
    rc: int
    stdout: str
    events: list

    @classmethod
    def load(cls, artifact_dir):
        artifact_dir = Path(artifact_dir)
        events = [json.loads(path.read_text()) for path in (artifact_dir / "job_events").glob("*.json")]
        events.sort(key=lambda event: event["counter"])
        return cls(status=(artifact_dir / "status").read_text().strip(), rc=int((artifact_dir / "rc").read_text()),
                   stdout=(artifact_dir / "stdout").read_text(), events=events)

    @property
    def stats(self):
        """event_data of playbook_on_stats: per-host ok/changed/failures/dark/... counts."""
        matches = [event["event_data"] for event in self.events if event["event"] == "playbook_on_stats"]
        assert len(matches) == 1, "expected one playbook_on_stats event, got %d" % len(matches)
        return matches[0]

    def hosts_with(self, event_name):
        return {event["event_data"].get("host") for event in self.events if event["event"] == event_name}

    def describe(self, tail=60):
        return "status=%s rc=%s\n--- stdout (last %d lines) ---\n%s" % (
            self.status, self.rc, tail, "\n".join(self.stdout.splitlines()[-tail:]))


def run_job(ansible_runner, private_data_dir, playbook, ident, process_env, timeout):
    """``ansible-runner run`` as the execution environment's worker runs it, then its artifacts."""
    runner = subprocess.run([str(ansible_runner), "run", str(private_data_dir), "--playbook", playbook, "--ident", ident],
                            env=process_env, capture_output=True, text=True, check=False, timeout=timeout)
    artifact_dir = Path(private_data_dir) / "artifacts" / ident
    if not (artifact_dir / "status").is_file():
        raise AssertionError("ansible-runner exited %s without artifacts in %s:\n%s%s"
                             % (runner.returncode, artifact_dir, runner.stdout, runner.stderr))
    return JobResult.load(artifact_dir)
