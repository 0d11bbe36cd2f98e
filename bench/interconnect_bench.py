# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time and count what playbooks/interconnect.yml and playbooks/verify.yml do against cloudsim.

Run ``python bench/interconnect_bench.py`` from the repository root (``make bench`` does). One
in-process cloudsim serves a fixture of ten independent setups generated from the demo fixture;
each measurement starts from that fixture (``/_sim/reset``) and reads the simulator's request log.
Every module runs as a plain Ansible module, in a Python process of its own per task; the bench
sees those processes through the interpreter it gives Ansible (``ansible_python_interpreter`` as an
extra var, a wrapper it writes into its temporary directory) and the tasks through a callback
(bench/callback_plugins/bench_tasks.py).

- converge / idempotent re-run of one interconnect: ansible-playbook vs. bench/sdk_floor.py (one
  Python process with the same SDK clients doing the least the role must do), API calls by kind;
- module processes of a converge, a re-run and a verify (playbooks/verify.yml), and the
  CPU-seconds of each run (ansible-playbook and every process under it);
- ten interconnects in one run (forks 10) against one;
- readiness: a run with provider delays, the lag from each state change to the first read that
  saw it, the fastest re-read of any one resource, and each module process's peak memory;
- cloudsim's realistic delays: a converge's wall time against the critical path of the cloud
  transitions it must wait for, worked out from the simulator's delay table;
- where the time goes: Ansible's start and exit, each module task split into Ansible's part,
  process start and imports, API calls and waits, and what interpreter start and imports cost.

Prints figures, each with its target: OK or OVER; nothing here asserts on time.
"""

import collections
import copy
import ctypes
import datetime
import ipaddress
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
sys.path.insert(0, REPO)

from cloudsim.azure.network import CIRCUITS, Connections, NetworkSecurityGroups  # noqa: E402 (needs the repository)
from cloudsim.server import start  # noqa: E402
from cloudsim.sim import DELAY_NAMES, DELAY_PRESETS, SimConfig  # noqa: E402
from plan_bench import load_plan_module  # noqa: E402 (bench/ is the script's directory)

DEMO_FIXTURE = os.path.join(REPO, "cloudsim", "fixtures", "demo.json")
DEMO_GROUP_VARS = os.path.join(REPO, "inventories", "demo", "group_vars", "interconnects.yml")
PLAYBOOK = os.path.join(REPO, "playbooks", "interconnect.yml")
VERIFY_PLAYBOOK = os.path.join(REPO, "playbooks", "verify.yml")
FLOOR = os.path.join(BENCH_DIR, "sdk_floor.py")
CALLBACK_DIR = os.path.join(BENCH_DIR, "callback_plugins")

MANY = 10
# The floor takes a few seconds, so a busy machine moves it a lot: report the median of a few rounds.
FLOOR_ROUNDS = 3
# Rounds of each interpreter/import probe (median).
IMPORT_ROUNDS = 3
# A run that takes longer than this is stuck (the role's waits are bounded to half of it).
RUN_TIMEOUT = 600
# How long after ansible-playbook exits the bench waits for processes it left behind.
STRAGGLER_WAIT = 5.0
# Delays of the readiness run: long enough to see the polling, short enough for a bench.
READINESS_DELAYS = {"provider.accept": 3.0, "provider.provision": 3.0, "azure.lro": 2.0, "azure.gateway_lro": 2.0}
# The simulator's own preset for the realistic run (what `make demo` and `make sim` use).
REALISTIC = "realistic"
# Fresh address space for the generated setups: a VNet and a VCN /16 each, and the /29s of BGP.
SITE_NETWORKS = "10.96.0.0/11"
BGP_NETWORKS = "10.255.0.0/24"

TARGET_CONVERGE_RATIO = 3.0      # converge of one vs. the floor
TARGET_IDEMPOTENT_RATIO = 5.0    # idempotent re-run of one vs. the floor's
TARGET_CALLS_RATIO = 1.15        # API calls of the converge vs. the floor's
TARGET_MANY_RATIO = 3.0          # ten interconnects in one run vs. one
TARGET_READINESS_LAG = 2.0       # seconds from a state change to the first read that sees it
TARGET_POLL_RATE = 1.0           # reads per second of one resource
TARGET_RSS_MB = 150.0            # peak RSS of any module process
TARGET_PROCESSES_CONVERGE = 8    # module processes of a converge of one interconnect
TARGET_PROCESSES_RERUN = 8       # ... of its idempotent re-run
TARGET_PROCESSES_VERIFY = 2      # ... of a verify
TARGET_CONVERGE_CPU = 5.0        # CPU-seconds of a converge of one interconnect
TARGET_REALISTIC_EXCESS = 10.0   # seconds a realistic converge may take beyond its critical path

API_KINDS = ("read", "write", "poll")
# OCI paths start with the region's endpoint, /oci/<region> (cloudsim/oci/regions.py).
VIRTUAL_CIRCUIT_CREATE = re.compile(r"^/oci/[^/]+/20160918/virtualCircuits$")
VIRTUAL_CIRCUIT = re.compile(r"^/oci/[^/]+/20160918/virtualCircuits/[^/]+$")
AZURE_CIRCUIT = re.compile(r"/providers/Microsoft\.Network/expressRouteCircuits/[^/]+$", re.IGNORECASE)
AZURE_CONNECTION = re.compile(r"/providers/Microsoft\.Network/connections/[^/]+$", re.IGNORECASE)
# ARM operations on these take azure.gateway_lro, all others azure.lro (cloudsim.sim.DELAY_NAMES).
GATEWAY_LRO = re.compile(r"/providers/Microsoft\.Network/(virtualNetworkGateways|connections)/", re.IGNORECASE)

# The interpreter the bench gives Ansible: it notes its own start (epoch seconds, pid, the module's
# AnsiballZ file or "stdin" when the module is piped in) and becomes the real Python. One short
# O_APPEND write per process: lines of parallel forks never interleave.
COUNTING_WRAPPER = r"""#!/usr/bin/env bash
# Written by bench/interconnect_bench.py: counts module processes, then runs the real interpreter.
name=${1:-stdin}
name=${name##*/}
name=${name#AnsiballZ_}
now=${EPOCHREALTIME:-$(date +%s.%N)}  # bash 5 has the clock built in
printf '%s\t%s\t%s\n' "${now/,/.}" "$$" "${name%.py}" >> @LOG_SH@
exec @PYTHON_SH@ "$@"
"""

# The memory probe: the real interpreter as a child, and from wait4() the child's own figures:
# name, start, end, user and system CPU seconds, peak RSS in KiB.
MEMORY_WRAPPER = r"""#!@PYTHON@ -IS
# Written by bench/interconnect_bench.py: runs the real interpreter as a child and notes its rusage.
import os
import sys
import time

started = time.time()
name = os.path.basename(sys.argv[1]) if len(sys.argv) > 1 else "stdin"
name = name[len("AnsiballZ_"):] if name.startswith("AnsiballZ_") else name
name = name[:-3] if name.endswith(".py") else name
child = os.fork()
if child == 0:
    os.execv(@PYTHON_REPR@, [@PYTHON_REPR@] + sys.argv[1:])
dummy, status, usage = os.wait4(child, 0)
line = "%s\t%.6f\t%.6f\t%.4f\t%.4f\t%d\n" % (name, started, time.time(), usage.ru_utime, usage.ru_stime, usage.ru_maxrss)
descriptor = os.open(@LOG_REPR@, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
os.write(descriptor, line.encode())
os.close(descriptor)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


# ---------------------------------------------------------------------------------------------
# Ten setups from the demo fixture


def demo_sites(fixture, region_pairs):
    """The demo fixture cut into sites: an Azure resource group with everything in it, and the OCI VCN
    of the region its location pairs with (plan.py's region pairs), with its DRGs, route tables and
    security lists. Returns ``[dict(group, group_entry, resources, oci, pair)]``."""
    azure, oci = fixture["azure"], fixture["oci"]
    sites = []
    for group, entry in azure["resourceGroups"].items():
        pair = next(pair for pair in region_pairs if pair["azure_region"] == entry["location"])
        vcn = next(vcn for vcn in oci["vcns"] if vcn["id"].split(".")[3] == pair["oci_region"])
        attachments = [item for item in oci["drgAttachments"] if item["vcnId"] == vcn["id"]]
        drg_ids = set(item["drgId"] for item in attachments)
        sites.append(dict(
            group=group, group_entry=entry, pair=pair,
            resources=[item for item in azure["resources"] if item["path"].startswith("resourceGroups/%s/" % group)],
            oci=dict(vcns=[vcn], drgs=[drg for drg in oci["drgs"] if drg["id"] in drg_ids], drgAttachments=attachments,
                     routeTables=[item for item in oci["routeTables"] if item["vcnId"] == vcn["id"]],
                     securityLists=[item for item in oci["securityLists"] if item["vcnId"] == vcn["id"]])))
    return sites


def site_names(site, suffix):
    """``{old: new}`` for every name and id of the site: ARM names get ``-<suffix>``, OCIDs and DNS
    labels (letters and digits only) ``<suffix>``."""
    names = {site["group"]: "%s-%s" % (site["group"], suffix)}
    for entry in site["resources"]:
        name = entry["path"].rsplit("/", 1)[1]
        names[name] = "%s-%s" % (name, suffix)
    for entries in site["oci"].values():
        for entry in entries:
            names[entry["id"]] = entry["id"] + suffix
            names[entry["displayName"]] = "%s-%s" % (entry["displayName"], suffix)
            if entry.get("dnsLabel"):
                names[entry["dnsLabel"]] = entry["dnsLabel"] + suffix
    return names


def as_network(text):
    try:
        return ipaddress.ip_network(text)
    except ValueError:
        return None


def relocated(value, names, moves):
    """``value`` (fixture JSON) with names and ARM id segments renamed and CIDRs moved.

    ``moves`` maps old networks to new ones of the same size: an address block inside an old
    network lands at the same offset in the new one.
    """
    if isinstance(value, dict):
        return dict((key, relocated(item, names, moves)) for key, item in value.items())
    if isinstance(value, list):
        return [relocated(item, names, moves) for item in value]
    if not isinstance(value, str):
        return value
    if value in names:
        return names[value]
    network = as_network(value) if "/" in value else None
    if network is not None:
        for old, new in moves.items():
            if network.subnet_of(old):
                offset = int(network.network_address) - int(old.network_address)
                return str(ipaddress.ip_network((int(new.network_address) + offset, network.prefixlen)))
        return value
    return "/".join(names.get(segment, segment) for segment in value.split("/"))


def resources_by_type(resources):
    """``{ARM type: [names]}`` of fixture resources (paths end in ``<type>/<name>``)."""
    found = collections.defaultdict(list)
    for entry in resources:
        resource_type, name = entry["path"].rsplit("/", 2)[1:]
        found[resource_type].append(name)
    return found


def site_host(site, name, bgp_cidr):
    """The inventory variables of one interconnect between the site's Azure and OCI networks."""
    azure = resources_by_type(site["resources"])
    pair = site["pair"]
    return dict(
        interconnect_azure_location=site["group_entry"]["location"],
        interconnect_azure_resource_group=site["group"],
        interconnect_azure_circuit_name="er-%s" % name,
        interconnect_azure_peering_location=pair["peering_locations"][0],
        interconnect_azure_vnet_name=azure["virtualNetworks"][0],
        interconnect_azure_gateway_name=azure["virtualNetworkGateways"][0],
        interconnect_azure_nsg_names=azure["networkSecurityGroups"],
        interconnect_oci_region=pair["oci_region"],
        interconnect_oci_vcn_id=site["oci"]["vcns"][0]["id"],
        interconnect_oci_drg_id=site["oci"]["drgs"][0]["id"],
        interconnect_oci_route_table_ids=[item["id"] for item in site["oci"]["routeTables"]],
        interconnect_oci_security_list_ids=[item["id"] for item in site["oci"]["securityLists"]],
        interconnect_bgp_cidr=str(bgp_cidr),
        interconnect_bandwidth_gbps=1,
    )


def generated_setups(demo, region_pairs, count):
    """``(fixture, hosts)``: ``count`` independent copies of the demo's sites, round robin over its
    region pairs, with fresh names, non-overlapping VNet/VCN CIDRs and distinct /29s."""
    sites = demo_sites(demo, region_pairs)
    free_networks = ipaddress.ip_network(SITE_NETWORKS).subnets(new_prefix=16)
    bgp_cidrs = ipaddress.ip_network(BGP_NETWORKS).subnets(new_prefix=29)
    fixture = dict(description="%d independent interconnect setups generated from the demo fixture" % count,
                   azure=dict(resourceGroups={}, resources=[]),
                   oci=dict(compartments=copy.deepcopy(demo["oci"]["compartments"])))
    hosts = {}
    for index in range(count):
        template = sites[index % len(sites)]
        old_networks = [as_network(prefix) for resource in template["resources"]
                        for prefix in resource["body"]["properties"].get("addressSpace", {}).get("addressPrefixes", [])]
        old_networks += [as_network(cidr) for vcn in template["oci"]["vcns"] for cidr in vcn["cidrBlocks"]]
        moves = dict((old, ipaddress.ip_network((next(free_networks).network_address, old.prefixlen)))
                     for old in old_networks)
        site = relocated(template, site_names(template, "%02d" % index), moves)
        fixture["azure"]["resourceGroups"][site["group"]] = site["group_entry"]
        fixture["azure"]["resources"].extend(site["resources"])
        for kind, entries in site["oci"].items():
            fixture["oci"].setdefault(kind, []).extend(entries)
        name = "ic%02d" % index
        hosts[name] = site_host(site, name, next(bgp_cidrs))
    return fixture, hosts


def write_inventory(directory, hosts):
    """An inventory of ``hosts`` in group interconnects, sharing the demo inventory's group variables."""
    os.makedirs(os.path.join(directory, "group_vars"))
    with open(os.path.join(directory, "hosts.yml"), "w") as handle:
        yaml.safe_dump(dict(interconnects=dict(hosts=hosts)), handle, sort_keys=False)
    shutil.copy(DEMO_GROUP_VARS, os.path.join(directory, "group_vars", "interconnects.yml"))
    return directory


# ---------------------------------------------------------------------------------------------
# Runs, their processes and tasks, and the request log


def entry_times(entry):
    """``(start, end)`` epoch seconds of a log entry (logged at the end, with its duration)."""
    end = datetime.datetime.fromisoformat(entry["time"]).timestamp()
    return end - (entry["duration_ms"] or 0) / 1000.0, end


def become_subreaper():
    """Make orphaned descendants of the runs this process's children (Linux PR_SET_CHILD_SUBREAPER),
    so a process Ansible leaves unreaped is reaped here and its CPU time still counts."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_stragglers():
    """``(reaped, still running)``: children left once a run's own process was waited for."""
    reaped, deadline = 0, time.monotonic() + STRAGGLER_WAIT
    while True:
        try:
            pid = os.wait4(-1, os.WNOHANG)[0]
        except ChildProcessError:
            return reaped, False
        if pid:
            reaped += 1
        elif time.monotonic() > deadline:
            return reaped, True
        else:
            time.sleep(0.02)


def cpu_seconds(usage):
    return usage.ru_utime + usage.ru_stime


class Wrapper(object):
    """An interpreter for Ansible that the bench writes into its directory, and the log it appends to."""

    def __init__(self, directory, name, template, parse):
        self.path = os.path.join(directory, name)
        self.log = self.path + ".log"
        self.parse = parse
        text = (template.replace("@PYTHON_SH@", shell_quote(sys.executable)).replace("@LOG_SH@", shell_quote(self.log))
                .replace("@PYTHON_REPR@", repr(sys.executable)).replace("@LOG_REPR@", repr(self.log))
                .replace("@PYTHON@", sys.executable))
        with open(self.path, "w") as handle:
            handle.write(text)
        os.chmod(self.path, 0o755)

    def offset(self):
        return os.path.getsize(self.log) if os.path.exists(self.log) else 0

    def processes(self, offset):
        """The processes logged from byte ``offset`` on."""
        if not os.path.exists(self.log):
            return []
        with open(self.log) as handle:
            handle.seek(offset)
            return [self.parse(line.rstrip("\n").split("\t")) for line in handle if line.strip()]


def shell_quote(text):
    return "'%s'" % text.replace("'", "'\\''")


def counted_process(fields):
    return dict(start=float(fields[0]), pid=int(fields[1]), name=fields[2])


def probed_process(fields):
    return dict(name=fields[0], start=float(fields[1]), end=float(fields[2]),
                cpu=float(fields[3]) + float(fields[4]), rss_mb=int(fields[5]) * 1024 / 1e6)


def read_tasks(path):
    """``(playbook start, [task records])`` from the bench_tasks callback's log."""
    if not os.path.exists(path):
        return None, []
    playbook_start, tasks = None, []
    with open(path) as handle:
        for line in handle:
            record = json.loads(line)
            if "playbook_start" in record:
                playbook_start = playbook_start or record["playbook_start"]
            else:
                tasks.append(record)
    return playbook_start, sorted(tasks, key=lambda task: task["start"])


class Run(object):
    """One timed command: its output, the simulator's log of its calls, its CPU time and, for a
    playbook, the module processes the wrapper saw and the tasks the callback timed."""

    def __init__(self, seconds, returncode, output, entries):
        self.seconds, self.returncode, self.output = seconds, returncode, output
        self.entries = [entry for entry in entries if entry["kind"] != "admin"]
        self.kinds = collections.Counter(entry["kind"] for entry in self.entries)
        self.launched = self.ended = 0.0
        self.cpu = 0.0
        self.stragglers, self.still_running = 0, False
        self.processes, self.tasks, self.playbook_start = [], [], None

    @property
    def ok(self):
        return self.returncode == 0

    @property
    def api_calls(self):
        return sum(self.kinds[kind] for kind in API_KINDS)

    def calls_text(self):
        return "%d (%s; auth %d)" % (self.api_calls, ", ".join("%s %d" % (kind, self.kinds[kind]) for kind in API_KINDS),
                                     self.kinds["auth"])

    def failure(self):
        """Why the run failed: its last error lines."""
        lines = [line for line in self.output.splitlines() if "fatal:" in line or "ERROR" in line or "FAILED" in line]
        return (lines or self.output.strip().splitlines()[-3:] or ["no output"])[-1][:400]

    def process_names(self):
        return collections.Counter(process["name"] for process in self.processes)


class Bench(object):
    """A cloudsim serving the generated fixture, a collection path, and runs against them."""

    def __init__(self, workdir, fixture):
        self.workdir = workdir
        self.sim = start(SimConfig(fixture=fixture), os.path.join(workdir, "sim"))
        # ansible_collections/crosscloud/interconnect -> this checkout, for ansible and the floor.
        self.collections = os.path.join(workdir, "collections")
        os.makedirs(os.path.join(self.collections, "ansible_collections", "crosscloud"))
        os.symlink(REPO, os.path.join(self.collections, "ansible_collections", "crosscloud", "interconnect"))
        self.env = dict(os.environ, **self.sim.env)
        self.env.update(ANSIBLE_COLLECTIONS_PATH=self.collections, PYTHONPATH=self.collections,
                        ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="False",
                        ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR, ANSIBLE_CALLBACKS_ENABLED="bench_tasks")
        self.counter = Wrapper(workdir, "python-counting", COUNTING_WRAPPER, counted_process)
        self.probe = Wrapper(workdir, "python-probe", MEMORY_WRAPPER, probed_process)
        self.runs = 0

    def stop(self):
        self.sim.stop()

    def reset(self, delays=None):
        """Back to the fixture with an empty log (and, given ``delays``, those delays)."""
        self.sim.admin("POST", "reset")
        if delays:
            self.sim.admin("PUT", "delays", delays)

    def timed(self, command, wrapper=None):
        """Run ``command`` to its end, or stop it and everything it started after RUN_TIMEOUT; then
        reap what it left behind, so its CPU time (RUSAGE_CHILDREN) holds every process under it."""
        self.runs += 1
        task_log = os.path.join(self.workdir, "tasks-%02d.log" % self.runs)
        offset = wrapper.offset() if wrapper else 0
        self.sim.admin("DELETE", "log")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        launched, started = time.time(), time.monotonic()
        process = subprocess.Popen(command, env=dict(self.env, BENCH_TASK_LOG=task_log), cwd=self.workdir,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output = process.communicate(timeout=RUN_TIMEOUT)[0]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: ansible-playbook and its module processes
            output = process.communicate()[0] + "\nFAILED: stopped after %d s" % RUN_TIMEOUT
        seconds, ended = time.monotonic() - started, time.time()
        stragglers, still_running = reap_stragglers()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = Run(seconds, process.returncode, output, self.sim.admin("GET", "log")["entries"])
        run.launched, run.ended = launched, ended
        run.cpu = cpu_seconds(after) - cpu_seconds(before)
        run.stragglers, run.still_running = stragglers, still_running
        run.processes = wrapper.processes(offset) if wrapper else []
        run.playbook_start, run.tasks = read_tasks(task_log)
        return run

    def playbook(self, inventory, playbook=PLAYBOOK, forks=MANY, wrapper=None):
        """ansible-playbook with the counting interpreter unless another ``wrapper`` is given."""
        wrapper = wrapper or self.counter
        extra = dict(interconnect_report_dir=os.path.join(self.workdir, "reports"),
                     interconnect_wait_timeout=RUN_TIMEOUT // 2, ansible_python_interpreter=wrapper.path)
        run = self.timed([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                          "-f", str(forks), playbook, "-e", json.dumps(extra)], wrapper=wrapper)
        # A module piped to the interpreter (pipelining) has no file name: name it after its task.
        for task, processes in module_tasks(run):
            for process in processes:
                if process["name"] == "stdin":
                    process["name"] = task["action"].rsplit(".", 1)[-1]
        return run

    def floor(self, host):
        return self.timed([sys.executable, FLOOR, json.dumps(host)])

    def python(self, code):
        """``(wall, CPU seconds)`` of a fresh interpreter running ``code``."""
        return self.timed([sys.executable, "-c", code])


def median_run(runs):
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def floor_runs(bench, host):
    """``(converge, re-run)``: the medians of FLOOR_ROUNDS converges from the fixture and re-runs."""
    converges, reruns = [], []
    for dummy in range(FLOOR_ROUNDS):
        bench.reset()
        converges.append(bench.floor(host))
        reruns.append(bench.floor(host))
    return median_run(converges), median_run(reruns)


def floor_host(host):
    """An inventory host with the group variables merged in, as the floor takes it."""
    with open(DEMO_GROUP_VARS) as handle:
        group_vars = yaml.safe_load(handle)
    merged = dict((key, value) for key, value in group_vars.items() if not key.startswith("ansible_"))
    merged.update(host)
    return merged


# What a module process loads, each timed in a fresh interpreter: the collection's module_utils as a
# module imports them, then the SDK client it builds on first use, its import as the modules make it (the
# collector paused, what it made frozen: common.import_for_the_process); no request is made.
MODULE_UTILS = "ansible_collections.crosscloud.interconnect.plugins.module_utils"
IMPORT_PROBES = (
    ("interpreter start", "pass"),
    ("+ ansible.module_utils.basic", "import ansible.module_utils.basic"),
    ("+ an Azure client (module_utils.azure, azure-identity, azure-mgmt-network with its operations and models)",
     "from %s.azure import sdk; identity, NetworkManagementClient = sdk(); "
     "NetworkManagementClient(identity.ClientSecretCredential('t', 'c', 's'), 's').virtual_networks" % MODULE_UTILS),
    ("+ an OCI client (module_utils.oci, oci.core)", "from %s.oci import sdk; sdk()" % MODULE_UTILS),
)


def import_costs(bench):
    """``[(label, wall, CPU seconds, shutdown seconds, all ok)]``: the medians of IMPORT_ROUNDS fresh
    interpreters per probe. Each prints the time once its imports are done, so the rest of its wall
    time (to the bench seeing it exit) is the interpreter's shutdown with those modules loaded."""
    costs = []
    for label, code in IMPORT_PROBES:
        runs = [bench.python(code + "; import time; print(repr(time.time()))") for dummy in range(IMPORT_ROUNDS)]
        shutdowns = [run.ended - float(run.output.split()[-1]) for run in runs if run.ok]
        costs.append((label, statistics.median(run.seconds for run in runs), statistics.median(run.cpu for run in runs),
                      statistics.median(shutdowns) if shutdowns else float("nan"), all(run.ok for run in runs)))
    return costs


# ---------------------------------------------------------------------------------------------
# Where the time goes: tasks, module processes and calls of a one-host run


def module_tasks(run):
    """``[(task, [processes])]`` of a one-host run in task order: each process belongs to the last task
    that started before it (tasks of one host run one after another)."""
    owned = [(task, []) for task in run.tasks]
    for process in run.processes:
        owner = None
        for task, processes in owned:
            if task["start"] <= process["start"]:
                owner = processes
        if owner is not None:
            owner.append(process)
    return owned


def task_breakdown(task, processes, entries):
    """A module task's time: Ansible's part before the process, the process's start and imports
    until its first request, the requests themselves, the waits between them, and its exit and
    result after the last one."""
    begun, finished = min(process["start"] for process in processes), task["end"]
    calls = [entry for entry in entries if begun <= entry_times(entry)[0] and entry_times(entry)[1] <= finished]
    figures = dict(name=task["action"].rsplit(".", 1)[-1], total=finished - task["start"], ansible=begun - task["start"],
                   calls=len(calls), auth=sum(1 for entry in calls if entry["kind"] == "auth"), processes=len(processes))
    if calls:
        first = min(entry_times(entry)[0] for entry in calls)
        last = max(entry_times(entry)[1] for entry in calls)
        in_calls = sum(entry_times(entry)[1] - entry_times(entry)[0] for entry in calls)
        figures.update(start=first - begun, requests=in_calls, waits=max(0.0, last - first - in_calls), exit=finished - last)
    else:
        figures.update(start=finished - begun, requests=0.0, waits=0.0, exit=0.0)
    if all("end" in process for process in processes):  # the memory probe knows when the process ended
        ended = max(process["end"] for process in processes)
        figures.update(after=max(0.0, finished - ended), cpu=sum(process["cpu"] for process in processes))
    return figures


def time_budget(run):
    """Where a one-host run's wall time went (see task_breakdown), or None without task records."""
    if not run.tasks:
        return None
    owned = module_tasks(run)
    modules = [task_breakdown(task, processes, run.entries) for task, processes in owned if processes]
    plain = [task for task, processes in owned if not processes]
    first, last = run.tasks[0]["start"], max(task["end"] for task in run.tasks)
    busy = sum(task["end"] - task["start"] for task in run.tasks)
    return dict(
        start=first - run.launched, loading=(run.playbook_start or first) - run.launched, exit=run.ended - last,
        between=max(0.0, (last - first) - busy), modules=modules,
        plain=len(plain), plain_seconds=sum(task["end"] - task["start"] for task in plain),
        skipped=sum(1 for task in plain if task["status"] == "skipped"),
        unowned=len(run.processes) - sum(len(processes) for dummy, processes in owned))


BUDGET_PARTS = (("ansible", "Ansible's part"), ("start", "process start + imports"),
                ("requests", "API calls (server time)"), ("waits", "between calls"), ("exit", "exit + result"))


def budget_sum(modules, key):
    return sum(module[key] for module in modules)


# ---------------------------------------------------------------------------------------------
# Readiness, polling, the critical path


def first_read(timed, pattern, due):
    """``(path, start)`` of the first GET of a path matching ``pattern`` that started at ``due`` or later."""
    return next(((entry["path"], begun) for entry, begun in timed
                 if entry["method"] == "GET" and pattern.search(entry["path"]) and begun >= due), (None, None))


def readiness_lags(entries, delays):
    """``[(transition, resource path, lag seconds, awaited)]`` of one interconnect's converge: the provider's
    transitions and the end of each Azure long-running operation. ``awaited`` says whether the converge waits
    for that state (readiness, which the target is about) or only passes it (the provider's acceptance,
    PROVISIONING, which nothing waits for: the converge writes the rules meanwhile)."""
    timed = [(entry, entry_times(entry)[0]) for entry in entries]
    return provider_lags(timed, delays) + operation_lags(timed, delays)


def provider_lags(timed, delays):
    """The provider transitions (see readiness_lags).

    The virtual circuit's create starts the clock: PENDING_PROVIDER -> PROVISIONING ``provider.accept``
    seconds later. cloudsim applies a due transition when the next request arrives and counts the
    follow-up (PROVISIONED here, Provisioned on the Azure circuit) from then. The lag is from the
    transition to the start of the first read of the resource after it.
    """
    create = next((entry for entry, dummy in timed
                   if entry["method"] == "POST" and VIRTUAL_CIRCUIT_CREATE.match(entry["path"])), None)
    if create is None:
        return []
    accepted = entry_times(create)[1] + delays["provider.accept"]
    applied = next((begun for dummy, begun in timed if begun >= accepted), None)
    if applied is None:
        return []
    provisioned = applied + delays["provider.provision"]
    lags = []
    for transition, pattern, due, awaited in (("virtual circuit PROVISIONING", VIRTUAL_CIRCUIT, accepted, False),
                                              ("virtual circuit PROVISIONED", VIRTUAL_CIRCUIT, provisioned, True),
                                              ("Azure circuit Provisioned", AZURE_CIRCUIT, provisioned, True)):
        path, begun = first_read(timed, pattern, due)
        if path:
            lags.append((transition, path, begun - due, awaited))
    return lags


def operation_lags(timed, delays):
    """Each Azure write ends ``azure.lro`` (``azure.gateway_lro``) seconds after it; the module follows
    it on the operation URL the next poll after the write names (one interconnect: writes are serial)."""
    lags = []
    for index, (entry, dummy) in enumerate(timed):
        if entry["cloud"] != "azure" or entry["kind"] != "write":
            continue
        delay = delays["azure.gateway_lro" if GATEWAY_LRO.search(entry["path"]) else "azure.lro"]
        operation = next((later["path"] for later, dummy in timed[index + 1:] if later["kind"] == "poll"), None)
        if operation is None:
            continue
        due = entry_times(entry)[1] + delay
        path, begun = first_read(timed, re.compile("^%s$" % re.escape(operation)), due)
        if path:
            lags.append(("%s %s done" % (entry["method"], shorten(entry["path"])), path, begun - due, True))
    return lags


def fastest_reread(entries):
    """``(reads per second, path)`` of the shortest gap between two reads of one resource with no write
    to it in between (a read, a write and a confirming read is not polling)."""
    last_read, fastest = {}, (0.0, None)
    for entry in entries:
        path = entry["path"]
        if entry["kind"] == "auth":  # sign-in (cloud metadata, token) is per module process, not a resource
            continue
        if entry["method"] != "GET":
            last_read.pop(path, None)
            continue
        begun = entry_times(entry)[0]
        if path in last_read and begun > last_read[path]:
            fastest = max(fastest, (1.0 / (begun - last_read[path]), path))
        last_read[path] = begun
    return fastest


def critical_path(delays):
    """``[(what, delay name, seconds)]``: the cloud transitions a converge of a new interconnect must
    wait for, each of which can only start once the one before it ended (cloudsim's rules):

    - the circuit's create is an ARM operation (its type's delay); only when it ends does the circuit
      carry its service key, which the virtual circuit's create needs;
    - the provider accepts the virtual circuit ``provider.accept`` after its create (PENDING_PROVIDER ->
      PROVISIONING, the circuit Provisioning) and provisions it ``provider.provision`` after that
      (PROVISIONED, the circuit Provisioned with the provider's private peering; BGP is UP from then:
      cloudsim works it out on each read);
    - the gateway connection can only be created once the circuit is Provisioned, and its create is
      an ARM operation of its own type's delay.
    """
    chain = (("circuit create", CIRCUITS.delay_name), ("provider accepts", "provider.accept"),
             ("provider provisions", "provider.provision"), ("gateway connection create", Connections.delay_name))
    for dummy, name in chain:
        assert name in DELAY_NAMES, name
    return [(what, name, float(delays.get(name, 0.0))) for what, name in chain]


def timeline(run, delays):
    """``[(segment, start, end, on the critical path)]`` (epoch seconds) covering a one-host converge from
    launch to exit, cut at the creates and transitions of critical_path; None when a create is missing."""
    def first(method, pattern):
        return next((entry for entry in run.entries if entry["kind"] == "write" and entry["method"] == method
                     and entry["status"] < 400 and pattern.search(entry["path"])), None)

    circuit, virtual_circuit, connection = (first("PUT", AZURE_CIRCUIT), first("POST", VIRTUAL_CIRCUIT_CREATE),
                                            first("PUT", AZURE_CONNECTION))
    if not (circuit and virtual_circuit and connection):
        return None
    lro, accept, provision, gateway_lro = [seconds for dummy, dummy, seconds in critical_path(delays)]
    circuit_sent, circuit_created = entry_times(circuit)
    circuit_done = circuit_created + lro
    virtual_circuit_created = entry_times(virtual_circuit)[1]
    accepted = virtual_circuit_created + accept
    applied = next((entry_times(entry)[0] for entry in run.entries if entry_times(entry)[0] >= accepted), accepted)
    provisioned = applied + provision
    connection_created = entry_times(connection)[1]
    connection_done = connection_created + gateway_lro
    return [
        ("launch -> circuit create answered", run.launched, circuit_created, False),
        ("circuit create operation", circuit_created, circuit_done, True),
        ("circuit ready -> virtual circuit create answered", circuit_done, virtual_circuit_created, False),
        ("provider accepts", virtual_circuit_created, accepted, True),
        ("acceptance applied (at the next request)", accepted, applied, False),
        ("provider provisions", applied, provisioned, True),
        ("provisioned -> gateway connection create answered", provisioned, connection_created, False),
        ("gateway connection operation", connection_created, connection_done, True),
        ("connection ready -> exit", connection_done, run.ended, False),
    ]


def tasks_within(run, begin, end, least=0.05):
    """What ran between ``begin`` and ``end`` of a one-host run: ``[(module, seconds)]`` of the module
    tasks overlapping it, plain tasks together, and the rest as "Ansible" (start, between tasks, exit)."""
    parts, plain, busy = [], 0.0, 0.0
    for task, processes in module_tasks(run):
        overlap = min(end, task["end"]) - max(begin, task["start"])
        if overlap <= 0:
            continue
        busy += overlap
        if processes:
            parts.append((task["action"].rsplit(".", 1)[-1], overlap))
        else:
            plain += overlap
    parts.append(("plain tasks", plain))
    parts.append(("outside tasks", max(0.0, (end - begin) - busy)))
    return [(what, seconds) for what, seconds in parts if seconds >= least]


# ---------------------------------------------------------------------------------------------
# Report


VERDICTS = []  # (figure, ok) in the order printed, for the summary line


def verdict(ok, figure):
    VERDICTS.append((figure, ok))
    return "OK" if ok else "OVER"


def print_summary():
    over = [figure for figure, ok in VERDICTS if not ok]
    named = (": " + "; ".join(over)) if over else ""
    print("summary: %d figures OK, %d OVER%s" % (len(VERDICTS) - len(over), len(over), named))


def ratio_line(label, value, floor, target, value_format="%.1f s", floor_label="floor", floor_ok=True):
    if not (floor and floor_ok):
        return "%s: %s, %s not measured (target <= %gx)" % (label, value_format % value, floor_label, target)
    ratio = value / floor
    return "%s: %s, %s %s, ratio %.2fx (target <= %gx) %s" % (
        label, value_format % value, floor_label, value_format % floor, ratio, target, verdict(ratio <= target, label))


def run_label(run):
    return "" if run.ok else " [run FAILED rc=%d: %s]" % (run.returncode, run.failure())


def print_converge(one, one_again, floor, floor_again):
    print(ratio_line("converge 1", one.seconds, floor.seconds, TARGET_CONVERGE_RATIO, floor_ok=floor.ok) + run_label(one))
    writes = one_again.kinds["write"]
    print(ratio_line("idempotent 1", one_again.seconds, floor_again.seconds, TARGET_IDEMPOTENT_RATIO, floor_ok=floor_again.ok)
          + "; writes %d (target 0) %s" % (writes, verdict(writes == 0, "idempotent 1 writes")) + run_label(one_again))
    print(ratio_line("API calls converge 1", one.api_calls, floor.api_calls, TARGET_CALLS_RATIO, value_format="%d",
                     floor_ok=floor.ok))
    print("  converge 1 calls: %s; floor: %s" % (one.calls_text(), floor.calls_text()))
    print("  idempotent 1 calls: %s; floor: %s" % (one_again.calls_text(), floor_again.calls_text()))
    if floor.returncode or floor_again.returncode:
        print("  floor FAILED: %s" % (floor.failure() if floor.returncode else floor_again.failure()))


def print_repeated_reads(run, limit=6):
    """The resources converge 1 read most often (where redundant reads show)."""
    reads = collections.Counter(entry["path"] for entry in run.entries if entry["kind"] == "read")
    repeated = [(count, path) for path, count in reads.most_common(limit) if count > 1]
    if repeated:
        print("  most-read resources in converge 1: %s" % "; ".join(
            "%dx %s" % (count, shorten(path)) for count, path in repeated))


def shorten(path):
    """A log path without the subscription/resource group prefix or the OCID's unique tail."""
    path = re.sub(r"^/subscriptions/[^/]+/(resourceGroups/[^/]+/)?providers/Microsoft\.Network/", "", path)
    return re.sub(r"(ocid1\.[a-z]+\.oc1\.[^.]*\.)([a-z0-9]{12})[a-z0-9]+", r"\1\2...", path)


def names_text(counter):
    return ", ".join("%s %d" % item if item[1] > 1 else item[0] for item in sorted(counter.items()))


def print_processes(runs):
    """Module processes of each one-host run, next to its target."""
    for label, run, target in runs:
        count = len(run.processes)
        print("module processes per %s (one host): %d (target <= %d) %s%s" % (
            label, count, target, verdict(count <= target, "module processes per " + label), run_label(run)))
        if run.processes:
            print("  %s" % names_text(run.process_names()))


def reaped_text(run):
    text = "%d left unreaped by Ansible (reaped by the bench, included)" % run.stragglers
    return text + ("; some still running after %g s, NOT included" % STRAGGLER_WAIT if run.still_running else "")


def print_cpu(converge, rerun, verify, subreaper):
    print("CPU-seconds of converge 1: %.2f s (target <= %g s) %s" % (
        converge.cpu, TARGET_CONVERGE_CPU, verdict(converge.cpu <= TARGET_CONVERGE_CPU, "CPU-seconds of converge 1")))
    print("  idempotent 1 %.2f s; verify 1 %.2f s (ansible-playbook and every process under it: RUSAGE_CHILDREN)"
          % (rerun.cpu, verify.cpu))
    if subreaper:
        runs = (("converge", converge), ("re-run", rerun), ("verify", verify))
        print("  processes under the runs: %s" % "; ".join("%s %s" % (label, reaped_text(run)) for label, run in runs))
    else:
        print("  not checked whether Ansible reaps every process (no PR_SET_CHILD_SUBREAPER here)")


def print_verify(verify):
    print("verify 1 (no target of its own): %.1f s, API calls %s, writes %d%s" % (
        verify.seconds, verify.calls_text(), verify.kinds["write"], run_label(verify)))


def print_many(one, many):
    print(ratio_line("converge %d (forks %d)" % (MANY, MANY), many.seconds, one.seconds, TARGET_MANY_RATIO,
                     floor_label="converge 1") + run_label(many))
    print("  converge %d calls: %s; module processes %d (%.1f a host); CPU %.1f s on %d CPUs" % (
        MANY, many.calls_text(), len(many.processes), len(many.processes) / float(MANY), many.cpu, os.cpu_count()))


def print_readiness(run):
    lags = readiness_lags(run.entries, READINESS_DELAYS)
    delays = ", ".join("%s %g s" % item for item in sorted(READINESS_DELAYS.items()))
    print("readiness (delays: %s)%s:" % (delays, run_label(run)))
    for transition, path, lag, awaited in lags:
        print("  %s -> first read %.2f s later (%s)%s" % (
            transition, lag, shorten(path), "" if awaited else " [passed through, not awaited: no target]"))
    awaited_lags = [lag for dummy, dummy, lag, awaited in lags if awaited]
    if awaited_lags:
        worst = max(awaited_lags)
        print("  max readiness lag (states the converge waits for): %.2f s (target <= %g s) %s" % (
            worst, TARGET_READINESS_LAG, verdict(worst <= TARGET_READINESS_LAG, "readiness lag")))
    else:
        print("  max readiness lag: not measured (no virtual circuit created)")
    rate, path = fastest_reread(run.entries)
    print("  max poll rate of one resource: %.2f/s (%s) (target <= %g/s) %s" % (
        rate, shorten(path or "-"), TARGET_POLL_RATE, verdict(round(rate, 2) <= TARGET_POLL_RATE, "poll rate")))


def print_memory(run):
    """Peak RSS and CPU of each module process of the readiness run (the memory probe's wait4 figures)."""
    if not run.processes:
        print("peak RSS of a module process: not measured (no module process ran)")
        return
    peaks, cpu = {}, collections.defaultdict(float)
    for process in run.processes:
        peaks[process["name"]] = max(peaks.get(process["name"], 0.0), process["rss_mb"])
        cpu[process["name"]] += process["cpu"]
    module, peak = max(peaks.items(), key=lambda item: item[1])
    print("peak RSS of a module process: %.1f MB (%s) (target < %g MB) %s" % (
        peak, module, TARGET_RSS_MB, verdict(peak < TARGET_RSS_MB, "peak RSS of a module process")))
    print("  by module (MB): %s" % ", ".join("%s %.0f" % item for item in sorted(peaks.items(), key=lambda i: -i[1])))
    total = sum(cpu.values())
    print("  CPU of that run: %.2f s, of which %d module processes %.2f s (by module: %s), the controller %.2f s"
          % (run.cpu, len(run.processes), total,
             ", ".join("%s %.2f" % item for item in sorted(cpu.items(), key=lambda i: -i[1])), run.cpu - total))


def print_realistic(run, delays):
    path = critical_path(delays)
    critical = sum(seconds for dummy, dummy, seconds in path)
    excess = run.seconds - critical
    print("realistic delays (cloudsim preset %r: %s)%s:" % (
        REALISTIC, ", ".join("%s %g s" % item for item in sorted(delays.items())), run_label(run)))
    print("  critical path %.1f s = %s" % (critical, " + ".join(
        "%s %g (%s)" % (what, seconds, name) for what, name, seconds in path)))
    print("  converge 1 wall time %.1f s, excess over the critical path %.1f s (target <= %g s) %s" % (
        run.seconds, excess, TARGET_REALISTIC_EXCESS, verdict(excess <= TARGET_REALISTIC_EXCESS, "realistic excess")))
    nsg_writes = sum(1 for entry in run.entries if entry["kind"] == "write" and "/networkSecurityGroups/" in entry["path"])
    print("  off the path (independent of it, so they could overlap it): %d NSG update(s) of %g s each (%s); "
          "OCI route table and security list updates answer at once" % (
              nsg_writes, delays.get(NetworkSecurityGroups.delay_name, 0.0), NetworkSecurityGroups.delay_name))
    segments = timeline(run, delays)
    if segments is None:
        print("  timeline: not measured (the run did not create the circuit, the virtual circuit and the connection)")
    else:
        print("  timeline (* excess: the module tasks, plain tasks and time outside tasks in it):")
        for what, begin, end, on_path in segments:
            parts = [] if on_path else tasks_within(run, begin, end)
            inside = " [%s]" % ", ".join("%s %.1f" % part for part in parts) if parts else ""
            print("    %s%s %.1f s%s" % ("" if on_path else "* ", what, end - begin, inside))
    print_budget("where that run's time went", run)


def budget_text(modules):
    return " + ".join("%s %.2f" % (label, budget_sum(modules, key)) for key, label in BUDGET_PARTS)


def print_budget(label, run, detail=False):
    budget = time_budget(run)
    if budget is None:
        print("  %s: no task records" % label)
        return
    modules = budget["modules"]
    print("  %s (%.1f s): Ansible start %.2f s (loading %.2f s, then the play to its first task), exit %.2f s; "
          "%d plain tasks %.2f s (%d skipped); between tasks %.2f s" % (
              label, run.seconds, budget["start"], budget["loading"], budget["exit"], budget["plain"],
              budget["plain_seconds"], budget["skipped"], budget["between"]))
    if modules:
        print("    %d module tasks %.2f s (%.2f s each) = %s; %d calls, %d of them sign-ins" % (
            len(modules), budget_sum(modules, "total"), budget_sum(modules, "total") / len(modules),
            budget_text(modules), budget_sum(modules, "calls"), budget_sum(modules, "auth")))
    if modules and all("after" in module for module in modules):
        after = budget_sum(modules, "after")
        print("    of exit + result: %.2f s after the module processes ended (Ansible taking the result and cleaning "
              "up), %.2f s before (the module after its last request: its result, interpreter shutdown); the module "
              "processes' CPU %.2f s" % (
                  after, budget_sum(modules, "exit") - after, budget_sum(modules, "cpu")))
    if budget["unowned"]:
        print("    %d module processes started outside any task's window" % budget["unowned"])
    if detail:
        for module in modules:
            print("      %s %.2f s = %s; %d calls (%d sign-ins)%s" % (
                module["name"], module["total"], " + ".join("%.2f" % module[key] for key, dummy in BUDGET_PARTS),
                module["calls"], module["auth"], "" if module["processes"] == 1 else "; %d processes" % module["processes"]))


def print_where(converge, rerun, verify, imports):
    print("where the time goes (module task = %s):" % " + ".join(label for dummy, label in BUDGET_PARTS))
    print_budget("converge 1", converge, detail=True)
    print_budget("idempotent 1", rerun)
    print_budget("verify 1", verify)
    print("  a fresh interpreter (median of %d; wall / CPU, of the wall the shutdown after the imports): %s" % (
        IMPORT_ROUNDS, "; ".join("%s %.2f / %.2f s, shutdown %.2f s%s" % (label, wall, cpu, shutdown, "" if ok else " FAILED")
                                 for label, wall, cpu, shutdown, ok in imports)))


# ---------------------------------------------------------------------------------------------


def main():
    with open(DEMO_FIXTURE) as handle:
        demo = json.load(handle)
    fixture, hosts = generated_setups(demo, load_plan_module().DEFAULT_REGION_PAIRS, MANY)
    workdir = tempfile.mkdtemp(prefix="interconnect-bench-")
    subreaper = become_subreaper()
    bench = Bench(workdir, fixture)
    try:
        first = dict(list(hosts.items())[:1])
        one_inventory = write_inventory(os.path.join(workdir, "one"), first)
        many_inventory = write_inventory(os.path.join(workdir, "many"), hosts)
        print("interconnect bench: cloudsim with zero delays unless said, %d CPUs (load average %.1f), %d generated "
              "setups; floor: median of %d rounds; every module a process of its own" % (
                  os.cpu_count(), os.getloadavg()[0], MANY, FLOOR_ROUNDS))

        floor, floor_again = floor_runs(bench, floor_host(first["ic00"]))
        bench.reset()
        one = bench.playbook(one_inventory)
        one_again = bench.playbook(one_inventory)
        verify = bench.playbook(one_inventory, playbook=VERIFY_PLAYBOOK)
        print_converge(one, one_again, floor, floor_again)
        print_repeated_reads(one)
        print_processes((("converge", one, TARGET_PROCESSES_CONVERGE),
                         ("idempotent re-run", one_again, TARGET_PROCESSES_RERUN),
                         ("verify", verify, TARGET_PROCESSES_VERIFY)))
        print_cpu(one, one_again, verify, subreaper)
        print_verify(verify)

        bench.reset()
        print_many(one, bench.playbook(many_inventory))

        bench.reset(READINESS_DELAYS)
        readiness = bench.playbook(one_inventory, wrapper=bench.probe)
        print_readiness(readiness)
        print_memory(readiness)
        print_budget("where that run's time went, split as below", readiness)

        bench.reset(DELAY_PRESETS[REALISTIC])
        delays = bench.sim.admin("GET", "delays")
        print_realistic(bench.playbook(one_inventory), delays)

        print_where(one, one_again, verify, import_costs(bench))
        print("load average at the end: %.1f (other work on the machine stretches every time above)"
              % os.getloadavg()[0])
        print_summary()
    finally:
        bench.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
