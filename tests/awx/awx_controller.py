"""The steps of the AWX controller that the AWX tests need, each one citing the AWX code it restates.

AWX cannot be imported outside its Django application, so what it does to accept the objects in
awx/ and to prepare and run a job is restated here, at the commits named in awx_rules.yml, and
nothing more: the schemas and lists are data in awx_rules.yml, applied with jsonschema's
Draft4Validator as AWX applies them; templates render in Jinja2's ImmutableSandboxedEnvironment as
in AWX; the job itself goes through ansible-runner's transmit -> worker -> process streams, the way
AWX hands a job to an execution node. Paths: awx/... in ansible/awx, src/awx_plugins/... in
ansible/awx-plugins.

One difference, forced by having no container engine: AWX runs the worker in the execution
environment's container with the private data directory mounted at /runner and renders paths into
it as /runner/... (get_incontainer_path); here the worker runs on this machine, so paths stay those
of the private data directory, and the EE's /usr/share/ansible/collections is the directory the
EE's galaxy stage installed into (tests/awx/conftest.py).
"""
# AWX checks exact types (type(x) is int: a bool is no integer answer), and so does this restatement.
# pylint: disable=unidiomatic-typecheck
import json
import os
import shutil
import stat
import subprocess
import tempfile
import threading
from pathlib import Path

import ansible_runner
import ansible_runner.utils
import yaml
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jsonschema import Draft4Validator

RULES = yaml.safe_load((Path(__file__).with_name("awx_rules.yml")).read_text())
SURVEY_TYPES = {name: tuple({"str": str, "int": int, "float": float}[kind] for kind in kinds)
                for name, kinds in RULES["survey"]["types"].items()}
PYTHON_TYPES = {"str": str, "int": int, "bool": bool, "list": list}


# Credential types ---------------------------------------------------------------------------------

def _schema_errors(where, schema, value):
    # awx/main/fields.py L444-447: Draft4Validator(schema).iter_errors(value)
    return ["%s%s: %s" % (where, "".join("[%r]" % part for part in error.absolute_path), error.message)
            for error in Draft4Validator(schema).iter_errors(value)]


def _env_var_error(env_var):
    # awx/main/fields.py L853-865, validate_env_var_allowed
    if env_var.startswith("ANSIBLE_"):
        return "Environment variable %s may affect Ansible configuration" % env_var
    if env_var in RULES["credential_type"]["env_blocklist"]:
        return "Environment variable %s is not allowed to be used in credentials" % env_var
    return None


class _ExplodingNamespace:
    # awx/main/fields.py L884-886
    def __str__(self):
        raise UndefinedError("Must define unnamed file injector in order to reference `tower.filename`.")


class _TowerNamespace:
    # awx/main/fields.py L888-893
    def __init__(self):
        self.filename = _ExplodingNamespace()

    def __str__(self):
        raise UndefinedError("Cannot directly reference reserved `tower` namespace container.")


def credential_type_errors(credential_type):
    """Why AWX would refuse this custom credential type ([] when it accepts it): the serializer
    (awx/api/serializers.py L2920-2942) and the model fields CredentialTypeInputField and
    CredentialTypeInjectorField (awx/main/fields.py L710-949). AWX stops at the first error; this
    collects them all."""
    rules = RULES["credential_type"]
    inputs, injectors = credential_type.get("inputs", {}), credential_type.get("injectors", {})
    errors = []
    if credential_type.get("kind") not in rules["custom_kinds"]:  # serializers.py L2934-2935
        errors.append("kind must be one of %s, not %r" % (rules["custom_kinds"], credential_type.get("kind")))
    input_errors = _schema_errors("inputs", rules["inputs_schema"], inputs)
    fields = inputs.get("fields", []) if not input_errors else []
    ids = []
    for field in fields:
        field_id, field_type = field["id"], field.get("type", "string")  # fields.py L777-779
        if field.get("ask_at_runtime", False):  # serializers.py L2937-2940
            input_errors.append("'ask_at_runtime' is not supported for custom credentials (%s)" % field_id)
        if field_id == "tower":  # fields.py L762-767
            input_errors.append('"tower" is a reserved field name')
        if field_id in ids:  # fields.py L769-775
            input_errors.append("field IDs must be unique (%s)" % field_id)
        ids.append(field_id)
        if "default" in field and type(field["default"]) is not {"string": str, "boolean": bool}[field_type]:
            input_errors.append("%r is not a %s" % (field["default"], field_type))  # fields.py L781-785
        for key in rules["string_only_keys"]:  # fields.py L787-802
            if key in field and field_type != "string":
                input_errors.append("%s not allowed for %s type (%s)" % (key, field_type, field_id))
    errors += input_errors
    errors += _schema_errors("injectors", rules["injectors_schema"], injectors)  # fields.py L868
    errors += [error for error in map(_env_var_error, injectors.get("env", {})) if error]  # fields.py L941-944
    if input_errors:
        return errors  # fields.py L870-877: templates are only judged against valid inputs

    # fields.py L882-910: every input as 'EXAMPLE', tower.filename as the file injectors define it.
    namespace = {field_id: "EXAMPLE" for field_id in ids}
    namespace["tower"] = _TowerNamespace()
    template_names = [name for name in injectors.get("file", {}) if name.startswith("template")]
    if "template" in template_names:
        namespace["tower"].filename = "EXAMPLE_FILENAME"
        if len(template_names) > 1:
            errors.append("Must use multi-file syntax when injecting multiple files")
    else:
        for name in template_names:
            setattr(namespace["tower"].filename, name.split(".")[1], "EXAMPLE_FILENAME")

    def check(kind, key, template):  # fields.py L912-928
        try:
            ImmutableSandboxedEnvironment(undefined=StrictUndefined).from_string(template).render(namespace)
        except UndefinedError as error:
            errors.append("%s uses an undefined field (%s)" % (key, error))
        except SecurityError as error:
            errors.append("Encountered unsafe code execution: %s" % error)
        except TemplateSyntaxError as error:
            errors.append("Syntax error rendering template for %s inside of %s (%s)" % (key, kind, error))

    def check_extra_vars(key, node):  # fields.py L930-939
        if isinstance(node, dict):
            for name, value in node.items():
                check("extra_vars", "a key" if key is None else key, name)
                check_extra_vars(name if key is None else "%s.%s" % (key, name), value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                check_extra_vars("%s[%d]" % (key, index), value)
        else:
            check("extra_vars", key, node)

    for kind, injector in injectors.items():  # fields.py L941-949
        if kind == "extra_vars":
            check_extra_vars(None, injector)
        else:
            for key, template in injector.items():
                check(kind, key, template)
    return errors


class _Namespace:
    """awx/main/models/credential.py L576-577, TowerNamespace."""


def inject_credential(credential_type, inputs, private_data_dir):
    """The environment a job gets from a credential of a custom type, and its files written under
    env/ of the private data directory: CredentialType.inject_credential,
    awx/main/models/credential.py L576-647. ``inputs`` are the credential's decrypted inputs."""
    tower = _Namespace()
    namespace = {"tower": tower}
    for name, value in inputs.items():  # L590-604: booleans as they are, other values only non-empty
        if type(value) is bool or len(value):
            namespace[name] = value
    for field in credential_type["inputs"].get("fields", []):  # L606-613
        if field.get("type", "string") == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
        if field.get("format") == "ssh_private_key" and field["id"] in namespace:
            if not namespace[field["id"]].endswith("\n"):
                namespace[field["id"]] += "\n"

    sandbox = ImmutableSandboxedEnvironment()  # L620
    for file_label, template in credential_type["injectors"].get("file", {}).items():  # L622-636
        data = sandbox.from_string(template).render(**namespace)
        handle, path = tempfile.mkstemp(dir=os.path.join(private_data_dir, "env"))
        with os.fdopen(handle, "w") as stream:
            stream.write(data)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if "." not in file_label:
            tower.filename = path
        else:
            if not hasattr(tower, "filename"):
                tower.filename = _Namespace()
            setattr(tower.filename, file_label.split(".")[1], path)

    env = {}
    for env_var, template in credential_type["injectors"].get("env", {}).items():  # L639-647
        if _env_var_error(env_var):
            continue  # AWX logs and skips a prohibited variable
        env[env_var] = sandbox.from_string(template).render(**namespace)
    if credential_type["injectors"].get("extra_vars"):  # L649-672, not restated: awx/ has none
        raise NotImplementedError("extra_vars injectors")
    return env


def inject_azure_rm(inputs):
    """The environment from the built-in Azure Resource Manager credential: the azure_rm injector
    function, src/awx_plugins/credentials/injectors.py L69-84 (cred.get_input(name, default='');
    cred.has_input is "set and not empty", awx/main/models/credential.py L356-359)."""
    injector = RULES["azure_rm"]["injector"]

    def value(name):
        return inputs.get(name) or ""
    env = {env_var: value(name) for env_var, name in injector["always"].items()}
    branch = "service_principal" if len(value("client")) and len(value("tenant")) else "user"
    env.update({env_var: value(name) for env_var, name in injector[branch].items()})
    env.update({env_var: inputs[name] for env_var, name in injector["optional"].items() if value(name)})
    return env


# Job templates ------------------------------------------------------------------------------------

def _natural_key_errors(what, value, kind):
    # awxkit/awxkit/api/pages/page.py L299-319: the NATURAL_KEY fields plus "type"
    expected = set(RULES["job_template"]["natural_keys"][kind]) | {"type"}
    if not isinstance(value, dict) or set(value) != expected or value["type"] != kind:
        return ["%s is no natural key of a %s (%s)" % (what, kind, sorted(expected))]
    return []


def job_template_errors(job_template):
    """Why ``awx import`` of this job template would not give the template it describes: a key
    the API does not take is dropped silently (awxkit/awxkit/api/pages/api.py L275-277), a value
    outside the model's choices or types is refused (see awx_rules.yml for each source)."""
    rules = RULES["job_template"]
    errors = ["%s is not a field AWX accepts for a job template" % key for key in job_template
              if key not in rules["writable_fields"] and key not in rules["derived_fields"]
              and key not in ("natural_key", "related")]
    for key, source in rules["derived_fields"].items():
        if key in job_template and job_template[key] != job_template.get(source, {}).get(key):
            errors.append("%s: AWX takes it from the %s, which says %r" % (key, source, job_template.get(source, {}).get(key)))
    for key, choices in rules["choices"].items():
        if key in job_template and job_template[key] not in choices:
            errors.append("%s=%r is not one of %s" % (key, job_template[key], choices))
    for key, kind in rules["types"].items():
        if key in job_template and type(job_template[key]) is not PYTHON_TYPES[kind]:
            errors.append("%s=%r is not of type %s" % (key, job_template[key], kind))
    for key, minimum in rules["minimum"].items():
        if isinstance(job_template.get(key), int) and job_template[key] < minimum:
            errors.append("%s=%r is below %s" % (key, job_template[key], minimum))
    errors += ["related %s is nothing awx import sets on a job template" % key
               for key in job_template.get("related", {}) if key not in rules["related"]]
    errors += _natural_key_errors("natural_key", job_template.get("natural_key"), "job_template")
    for credential in job_template.get("related", {}).get("credentials", []):
        errors += _natural_key_errors("credential %r" % credential.get("name"), credential, "credential")
        errors += _natural_key_errors("credential_type of %r" % credential.get("name"),
                                      credential.get("credential_type"), "credential_type")
    return errors


# Surveys ------------------------------------------------------------------------------------------

def _choices(choices):
    # awx/main/models/mixins.py L283-285 and L290-292: a string holds one choice a line
    if isinstance(choices, str):
        return [choice for choice in choices.splitlines() if choice.strip() != ""]
    return list(choices)


def survey_spec_errors(survey):
    """Why POST .../survey_spec/ would refuse this spec ([] when AWX accepts it):
    JobTemplateSurveySpec._validate_spec_data, awx/api/views/__init__.py L2523-2666 (password
    defaults, which this survey does not have, left out). AWX stops at the first error."""
    errors = []
    for key, kind in RULES["survey"]["spec_keys"].items():  # L2525-2529
        if key not in survey:
            errors.append("Field '%s' is missing from survey spec." % key)
        elif not isinstance(survey[key], PYTHON_TYPES[kind]):
            errors.append("Expected %s for field '%s'" % (kind, key))
    if isinstance(survey.get("spec"), list) and len(survey["spec"]) < 1:  # L2531-2532
        errors.append("'spec' doesn't contain any items.")
    if errors:
        return errors
    variables = set()
    for index, item in enumerate(survey["spec"]):
        if not isinstance(item, dict):  # L2542-2543
            errors.append("Survey question %d is not a json object." % index)
            continue
        missing = [key for key, kind in RULES["survey"]["question_keys"].items()  # L2544-2564
                   if not isinstance(item.get(key), PYTHON_TYPES[kind])]
        if missing:
            errors.append("survey question %d: %s missing or of the wrong type" % (index, missing))
            continue
        if item["variable"] in variables:  # L2565-2571
            errors.append("'variable' '%s' duplicated in survey question %d." % (item["variable"], index))
        variables.add(item["variable"])
        qtype = item["type"]
        if qtype not in SURVEY_TYPES:  # L2576-2584
            errors.append("'%s' in survey question %d is not one of %s" % (qtype, index, sorted(SURVEY_TYPES)))
            continue
        if "default" in item and item["default"] != "" and not isinstance(item["default"], SURVEY_TYPES[qtype]):
            errors.append("Default value %r in survey question %d expected to be %s." % (item["default"], index, qtype))
        for key in ("min", "max"):  # L2600-2606
            if key in item and item[key] is not None and not isinstance(item[key], int):
                errors.append("The %s limit in survey question %d expected to be integer." % (key, index))
        if qtype in ("multiselect", "multiplechoice"):  # L2609-2636
            if "choices" not in item:
                errors.append("Survey question %d of type %s must specify choices." % (index, qtype))
                continue
            if "default" in item:
                defaults = _choices(item["default"]) if isinstance(item["default"], str) else item["default"]
                if qtype == "multiplechoice" and len(defaults) > 1:
                    errors.append("Multiple Choice (Single Select) can only have one default value.")
                if any(default not in _choices(item["choices"]) for default in defaults):
                    errors.append("Default choice must be answered from the choices listed.")
    return errors


def survey_element_errors(element, data):
    """Why AWX refuses the answer ``data`` gives (or lacks) for one question:
    SurveyJobTemplateMixin._survey_element_validation, awx/main/models/mixins.py L205-296
    (password placeholders, which this survey does not have, left out)."""
    variable, qtype = element["variable"], element["type"]
    if variable not in data:
        return ["'%s' value missing" % variable] if element["required"] else []  # L218-220
    value = data[variable]
    if qtype in ("textarea", "text", "password"):  # L221-236
        if not isinstance(value, str):
            return ["Value %s for '%s' expected to be a string." % (value, variable)]
        size = len(value)
    elif qtype in ("integer", "float"):  # L238-277
        if (type(value) is not int) if qtype == "integer" else (type(value) not in (float, int)):
            expected = "an integer" if qtype == "integer" else "a numeric type"
            return ["Value %s for '%s' expected to be %s." % (value, variable, expected)]
        size = value
    elif qtype == "multiselect":  # L278-288
        if type(value) is not list:
            return ["'%s' value is expected to be a list." % variable]
        return ["Value %s for '%s' expected to be one of %s." % (item, variable, _choices(element["choices"]))
                for item in value if item not in _choices(element["choices"])]
    else:  # multiplechoice, L289-295
        if value not in _choices(element["choices"]):
            return ["Value %s for '%s' expected to be one of %s." % (value, variable, _choices(element["choices"]))]
        return []
    convert = float if qtype == "float" else int
    errors = []
    if element.get("min") not in ("", None) and size < convert(element["min"]):
        errors.append("'%s' value %s is too small (must be at least %s)." % (variable, value, element["min"]))
    if element.get("max") not in ("", None) and size > convert(element["max"]):
        errors.append("'%s' value %s is too large (must be no more than %s)." % (variable, value, element["max"]))
    return errors


def launch_extra_vars(job_template, runtime_extra_vars=None):
    """A launch's extra vars: the template's extra_vars, then every survey default that passes its
    own question's validation (others are dropped silently), then the runtime answers:
    SurveyJobTemplateMixin._update_unified_job_kwargs, awx/main/models/mixins.py L154-203."""
    extra_vars = dict(job_template.get("extra_vars") or {})
    if job_template.get("survey_enabled"):
        for element in job_template["related"]["survey_spec"]["spec"]:
            default = element.get("default")
            if default is not None and not survey_element_errors(element, {element["variable"]: default}):
                extra_vars[element["variable"]] = default
    extra_vars.update(runtime_extra_vars or {})
    return extra_vars


# Inventory ----------------------------------------------------------------------------------------

def script_data(inventory, slice_number=1, slice_count=1):
    """The inventory script's data for one (slice) job, from an inventory as ``ansible-inventory
    --list --export`` gives it (what an inventory source sync stores): Inventory.get_script_data,
    awx/main/models/inventory.py L282-381 - hosts ordered by name (L308), every slice_count-th
    from slice_number - 1 (L295-298), groups keep only the slice's hosts (L329-331)."""
    hostvars = inventory.get("_meta", {}).get("hostvars", {})
    hosts = sorted(set(hostvars) | {host for name, group in inventory.items() if name != "_meta"
                                    for host in group.get("hosts", [])})
    if slice_count > 1 and slice_number > 0:
        hosts = hosts[slice_number - 1::slice_count]
    data = {}
    for name, group in inventory.items():
        if name != "_meta":
            data[name] = dict(group)
            if "hosts" in group:
                data[name]["hosts"] = [host for host in group["hosts"] if host in hosts]
    data["_meta"] = {"hostvars": {host: hostvars.get(host, {}) for host in hosts}}
    return data


# Jobs ---------------------------------------------------------------------------------------------

class _UnsafeStringDumper(yaml.SafeDumper):
    """awx/main/utils/safe_yaml.py L8-12, SafeStringDumper: every string as !unsafe."""

    def represent_data(self, data):
        if isinstance(data, str):
            return self.represent_scalar("!unsafe", data)
        return super().represent_data(data)


def _write_private_data_file(private_data_dir, sub_dir, file_name, data, mode=0o600):
    """awx/main/tasks/jobs.py L125-142, BaseTask.write_private_data_file."""
    base = os.path.join(private_data_dir, sub_dir)
    os.makedirs(base, mode=0o700, exist_ok=True)
    path = Path(base) / file_name
    path.touch(mode=mode, exist_ok=True)
    path.write_text(data)
    return str(path)


class Job:
    """One job of a job template (awx/job_template.yml), prepared as RunJob prepares it
    (BaseTask.run, awx/main/tasks/jobs.py L468-593) and run as AWXReceptorJob runs it on a hybrid
    node (awx/main/tasks/receptor.py L383-557)."""

    def __init__(self, job_template, job_id, isolation_base, *, project, ee_collections, task_env, worker):
        """``project``: the checkout as (root, relative file paths); ``task_env``: AWX_TASK_ENV;
        ``worker``: (ansible-runner executable, the execution node's process environment)."""
        self.job_template = job_template
        self.job_id = job_id
        # L211-224: awx_<id>_XXXX under AWX_ISOLATION_BASE_PATH, with inventory/ and env/.
        self.private_data_dir = tempfile.mkdtemp(prefix="awx_%s_" % job_id, dir=isolation_base)
        os.chmod(self.private_data_dir, stat.S_IRUSR | stat.S_IWUSR | stat.S_IXUSR)
        for sub_dir in ("inventory", "env"):
            os.mkdir(os.path.join(self.private_data_dir, sub_dir))
        self.project = project
        self.ee_collections = ee_collections
        self.task_env = task_env
        self.worker = worker
        self.project_files = self._copy_project()
        self.env = self._build_env()

    def _copy_project(self):
        """The project's checkout copied to project/ (RunJob.make_local_copy, L1365-1373); the
        checkout is ``(root, relative file paths)``."""
        root, files = self.project
        for relative in files:
            target = Path(self.private_data_dir, "project", relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(root) / relative, target)
        return set(files)

    def _build_env(self):
        """BaseTask.build_env (L297-315) and RunJob.build_env (L884-950) with AWX's default settings
        (awx/settings/defaults.py L468-482, L212, L703)."""
        env = {"ANSIBLE_FORCE_COLOR": "True", "ANSIBLE_HOST_KEY_CHECKING": "False",
               "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True", "ANSIBLE_PARAMIKO_RECORD_HOST_KEYS": "False"}
        env.update(self.task_env)  # AWX_TASK_ENV: Settings > Jobs > Extra Environment Variables
        env["AWX_PRIVATE_DATA_DIR"] = self.private_data_dir
        env.update(JOB_ID=str(self.job_id), INVENTORY_ID="1", PROJECT_REVISION="HEAD",
                   ANSIBLE_RETRY_FILES_ENABLED="False", MAX_EVENT_RES="700000", AWX_HOST="https://platformhost")
        control_path = os.path.join(self.private_data_dir, "cp")  # L904-908 (/runner/cp)
        os.mkdir(control_path, 0o700)
        env["ANSIBLE_SSH_CONTROL_PATH_DIR"] = control_path
        ee_default = "~/.ansible/collections:%s" % self.ee_collections  # L929-948, no ansible.cfg in the project
        for env_key, folder, default in (
                ("ANSIBLE_COLLECTIONS_PATHS", "requirements_collections", ee_default),
                ("ANSIBLE_ROLES_PATH", "requirements_roles", "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles"),
                ("ANSIBLE_COLLECTIONS_PATH", "requirements_collections", ee_default)):
            env[env_key] = os.pathsep.join([os.path.join(self.private_data_dir, folder)] + default.split(":"))
        return env

    def inject(self, env):
        """Credentials' injected variables (L534-538)."""
        self.env.update(env)

    def _args(self, limit):
        """RunJob.build_args, L952-1019 (no machine credential, so -u root; no become, tags, vault)."""
        template = self.job_template
        args = ["--check"] if template["job_type"] == "check" else []
        args += ["-u", "root"]
        if template.get("diff_mode"):
            args.append("--diff")
        if template.get("forks"):
            args.append("--forks=%d" % min(template["forks"], 200))  # settings.MAX_FORKS
        if limit:
            args += ["-l", limit]
        if template.get("verbosity"):
            args.append("-%s" % ("v" * min(5, template["verbosity"])))
        return args

    def _extra_vars(self, extra_vars):
        """RunJob.build_extra_vars_file (L1027-1044): the launch's extra vars plus the AWX meta vars
        (awx/main/models/unified_jobs.py L1554-1597, jobs.py L813-830), written by
        _write_extra_vars_file (L290-295) with safe_dump (awx/main/utils/safe_yaml.py L27-68):
        a key is trusted only when the template's own extra_vars has it with that value."""
        meta = {}
        for prefix in ("awx", "tower"):  # constants.py JOB_VARIABLE_PREFIXES
            meta.update({prefix + "_job_id": self.job_id, prefix + "_job_launch_type": "manual",
                         prefix + "_inventory_id": 1, prefix + "_inventory_name": self.job_template["inventory"]["name"],
                         prefix + "_project_revision": "HEAD", prefix + "_project_scm_branch": "",
                         prefix + "_job_template_id": 1, prefix + "_job_template_name": self.job_template["name"]})
        extra_vars = dict(extra_vars, **meta)
        trusted = self.job_template.get("extra_vars") or {}
        return "".join(yaml.dump_all([{key: value}], None, default_flow_style=False,
                                     Dumper=yaml.SafeDumper if key in trusted and trusted[key] == value
                                     else _UnsafeStringDumper)
                       for key, value in extra_vars.items())

    def run(self, inventory, extra_vars, limit=None, timeout=900):
        """Write the job's files, then transmit -> ``ansible-runner worker`` -> process."""
        pdd = self.private_data_dir
        _write_private_data_file(pdd, "env", "extravars", self._extra_vars(extra_vars))
        _write_private_data_file(pdd, "env", "cmdline", ansible_runner.utils.args2cmdline(*self._args(limit)))  # L337-338
        # BaseTask.write_inventory_file, L317-324
        inventory_path = _write_private_data_file(
            pdd, "inventory", "hosts",
            "#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(%r)\n" % json.dumps(inventory), mode=0o700)
        # L547-580: the runner parameters; AWX_RUNNER_OMIT_ENV_FILES keeps envvars off the disk.
        params = {"ident": self.job_id, "private_data_dir": pdd, "playbook": self.job_template["playbook"],
                  "inventory": inventory_path, "passwords": self._expect_passwords(), "suppress_env_files": True,
                  "envvars": self.env, "fact_cache_type": "jsonfile" if self.job_template.get("use_fact_cache") else ""}
        # L582-593: env/settings (get_instance_timeout: the template's timeout when set, L343-352).
        _write_private_data_file(pdd, "env", "settings", json.dumps(
            {"job_timeout": self.job_template.get("timeout", 0), "suppress_ansible_output": True,
             "suppress_output_file": True}))
        # receptor.py L393-394: a job run on the controlling (hybrid) node transmits only kwargs.
        params["only_transmit_kwargs"] = True
        return self._stream(params, timeout)

    @staticmethod
    def _expect_passwords():
        """RunJob.get_password_prompts (L1049-1066) answered by build_passwords (L275-283, L848-882;
        no credential here needs a password): every prompt answered with ''."""
        prompts = [r"Enter passphrase for .*:\s*?$", r"Bad passphrase, try again for .*:\s*?$"]
        for method in ("sudo", "su", "pbrun", "pfexec", "dzdo", "pmrun", "runas", "enable", "doas", "ksu",
                       "machinectl", "sesu"):  # constants.py PRIVILEGE_ESCALATION_METHODS
            prompts += [r"%s password.*:\s*?$" % method, r"%s password.*:\s*?$" % method.upper()]
        prompts += [r"BECOME password.*:\s*?$", r"SSH password:\s*?$", r"Password:\s*?$", r"Vault password:\s*?$"]
        return dict.fromkeys(prompts, "")

    def _stream(self, params, timeout):
        """AWXReceptorJob: transmit (receptor.py L538-544) into the work unit Receptor starts as
        ``ansible-runner worker --private-data-dir=<dir>`` (L733, L571-580), whose output goes to
        process (L546-557) with the callbacks of RunnerCallback (awx/main/tasks/callback.py L68-176:
        events are kept, not written to artifacts/)."""
        executable, worker_env = self.worker
        stderr = tempfile.TemporaryFile()
        worker = subprocess.Popen([str(executable), "worker", "--private-data-dir=%s" % self.private_data_dir],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=worker_env)
        transmitter = threading.Thread(target=self._transmit, args=(worker.stdin, params))
        transmitter.start()
        events, statuses = [], []

        def event_handler(event):
            events.append(event)
            return False

        timer = threading.Timer(timeout, worker.kill)
        timer.start()
        try:
            processor = ansible_runner.interface.run(
                streamer="process", quiet=True, _input=worker.stdout, event_handler=event_handler,
                status_handler=lambda status, runner_config: statuses.append(status), **params)
        finally:
            timer.cancel()
            transmitter.join()
            worker.wait()
            stderr.seek(0)
            worker_stderr = stderr.read().decode(errors="replace")
            stderr.close()
        # The processor leaves rc unset; the worker streams its artifacts back, rc among them.
        rc_file = Path(self.private_data_dir, "artifacts", str(self.job_id), "rc")
        rc = int(rc_file.read_text()) if rc_file.is_file() else None
        return JobResult(processor.status, rc, sorted(events, key=lambda event: event["counter"]),
                         statuses, worker_stderr)

    @staticmethod
    def _transmit(stream, params):
        try:
            ansible_runner.interface.run(streamer="transmit", _output=stream, **params)
        finally:
            stream.close()

    def files_written_by_job(self):
        """Files the job created in its project directory (reports), as {relative path: text}."""
        project_dir = Path(self.private_data_dir, "project")
        return {str(path.relative_to(project_dir)): path.read_text(errors="replace")
                for path in project_dir.rglob("*")
                if path.is_file() and str(path.relative_to(project_dir)) not in self.project_files}


class JobResult:
    """What AWX keeps of a job: its status and rc, its events (the job's stdout is made of their
    stdout, in counter order) and the status updates."""

    def __init__(self, status, rc, events, statuses, worker_stderr):
        self.status, self.rc, self.events, self.statuses, self.worker_stderr = status, rc, events, statuses, worker_stderr

    @property
    def stdout(self):
        return "\n".join(event["stdout"] for event in self.events if event.get("stdout"))

    @property
    def stats(self):
        """event_data of playbook_on_stats: per-host ok/changed/failures/dark/... counts."""
        matches = [event["event_data"] for event in self.events if event["event"] == "playbook_on_stats"]
        assert len(matches) == 1, "expected one playbook_on_stats event, got %d\n%s" % (len(matches), self.describe())
        return matches[0]

    @property
    def artifacts(self):
        """The job's artifacts: what set_stats handed on, which AWX keeps from the stats event's artifact_data
        (awx/main/tasks/callback.py, RunnerCallback.event_handler) and a workflow passes to the nodes after
        this job as extra variables (awx/main/models/workflow.py, WorkflowJobNode.get_job_kwargs)."""
        return self.stats.get("artifact_data") or {}

    def hosts_with(self, event_name):
        return {event["event_data"].get("host") for event in self.events if event["event"] == event_name}

    def describe(self, tail=60):
        return "status=%s rc=%s statuses=%s\n--- stdout (last %d lines) ---\n%s\n--- worker stderr ---\n%s" % (
            self.status, self.rc, [status.get("status") for status in self.statuses], tail,
            "\n".join(self.stdout.splitlines()[-tail:]), self.worker_stderr[-3000:])
