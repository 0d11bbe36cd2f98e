# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time and count what playbooks/interconnect.yml does against cloudsim, next to a single-process floor.

Run ``python bench/interconnect_bench.py`` from the repository root (``make bench`` does). One
in-process cloudsim serves a fixture of ten independent setups generated from the demo fixture;
each measurement starts from that fixture (``/_sim/reset``) and reads the simulator's request log.

- converge / idempotent re-run of one interconnect: ansible-playbook vs. bench/sdk_floor.py (one
  Python process with the same SDK clients doing the least the role must do);
- API calls by kind (read/write/poll; auth apart) of both;
- ten interconnects in one run (forks 10) against one;
- readiness: a run with provider delays, the lag from each provider transition to the first read
  that saw it, and the fastest re-read of any one resource;
- peak RSS of every module: in the module host (the children's own figures, printed by the action
  plugins at -vvv), and in processes of their own (bench/rss_python as the interpreter, which also
  keeps the host out), with the time of that idempotent re-run next to the host's.

Prints figures, each with its target and ratio; nothing here asserts on time.
"""

import collections
import copy
import datetime
import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
sys.path.insert(0, REPO)

from cloudsim.server import start  # noqa: E402 (needs the repository on the path)
from cloudsim.sim import SimConfig  # noqa: E402
from plan_bench import load_plan_module  # noqa: E402 (bench/ is the script's directory)

DEMO_FIXTURE = os.path.join(REPO, "cloudsim", "fixtures", "demo.json")
DEMO_GROUP_VARS = os.path.join(REPO, "inventories", "demo", "group_vars", "interconnects.yml")
PLAYBOOK = os.path.join(REPO, "playbooks", "interconnect.yml")
FLOOR = os.path.join(BENCH_DIR, "sdk_floor.py")
RSS_PYTHON = os.path.join(BENCH_DIR, "rss_python")

MANY = 10
# The floor takes a few seconds, so a busy machine moves it a lot: report the median of a few rounds.
FLOOR_ROUNDS = 3
# A run that takes longer than this is stuck (the role's waits are bounded to half of it).
RUN_TIMEOUT = 600
# Delays of the readiness run: long enough to see the polling, short enough for a bench.
READINESS_DELAYS = {"provider.accept": 3.0, "provider.provision": 3.0, "azure.lro": 2.0, "azure.gateway_lro": 2.0}
# Fresh address space for the generated setups: a VNet and a VCN /16 each, and the /29s of BGP.
SITE_NETWORKS = "10.96.0.0/11"
BGP_NETWORKS = "10.255.0.0/24"

TARGET_CONVERGE_RATIO = 4.0      # converge of one vs. the floor
TARGET_IDEMPOTENT_RATIO = 3.0    # idempotent re-run of one vs. the floor's
TARGET_CALLS_RATIO = 1.25        # API calls of the converge vs. the floor's
TARGET_MANY_RATIO = 3.0          # ten interconnects in one run vs. one
TARGET_READINESS_LAG = 2.0       # seconds from a state change to the first read that sees it
TARGET_POLL_RATE = 1.0           # reads per second of one resource
TARGET_RSS_MB = 150.0            # peak RSS of any module process

API_KINDS = ("read", "write", "poll")
VIRTUAL_CIRCUIT_CREATE = re.compile(r"^/20160918/virtualCircuits$")
VIRTUAL_CIRCUIT = re.compile(r"^/20160918/virtualCircuits/[^/]+$")
AZURE_CIRCUIT = re.compile(r"/providers/Microsoft\.Network/expressRouteCircuits/[^/]+$", re.IGNORECASE)
# ARM operations on these take azure.gateway_lro, all others azure.lro (cloudsim.sim.DELAY_NAMES).
GATEWAY_LRO = re.compile(r"/providers/Microsoft\.Network/(virtualNetworkGateways|connections)/", re.IGNORECASE)


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
    for resource in site["resources"]:
        name = resource["path"].rsplit("/", 1)[1]
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
    for resource in resources:
        resource_type, name = resource["path"].rsplit("/", 2)[1:]
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
# Runs and the request log


def entry_times(entry):
    """``(start, end)`` epoch seconds of a log entry (logged at the end, with its duration)."""
    end = datetime.datetime.fromisoformat(entry["time"]).timestamp()
    return end - (entry["duration_ms"] or 0) / 1000.0, end


class Run(object):
    """One timed command and the simulator's log of the calls it made."""

    def __init__(self, seconds, returncode, output, entries):
        self.seconds, self.returncode, self.output = seconds, returncode, output
        self.entries = [entry for entry in entries if entry["kind"] != "admin"]
        self.kinds = collections.Counter(entry["kind"] for entry in self.entries)

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
        # This interpreter's directory first on PATH: bench/rss_python runs "/usr/bin/env python".
        self.env.update(ANSIBLE_COLLECTIONS_PATH=self.collections, PYTHONPATH=self.collections,
                        PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]),
                        ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="False")

    def stop(self):
        self.sim.stop()

    def reset(self, delays=None):
        """Back to the fixture with an empty log (and, given ``delays``, those provider delays)."""
        self.sim.admin("POST", "reset")
        if delays:
            self.sim.admin("PUT", "delays", delays)

    def timed(self, command, env=None):
        """Run ``command`` to its end, or stop it and everything it started after RUN_TIMEOUT."""
        self.sim.admin("DELETE", "log")
        started = time.monotonic()
        process = subprocess.Popen(command, env=env or self.env, cwd=self.workdir, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output = process.communicate(timeout=RUN_TIMEOUT)[0]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: ansible-playbook and its module processes
            output = process.communicate()[0] + "\nFAILED: stopped after %d s" % RUN_TIMEOUT
        seconds = time.monotonic() - started
        return Run(seconds, process.returncode, output, self.sim.admin("GET", "log")["entries"])

    def playbook(self, inventory, forks=MANY, interpreter=None, env=None, verbose=False):
        extra = dict(interconnect_report_dir=os.path.join(self.workdir, "reports"),
                     interconnect_wait_timeout=RUN_TIMEOUT // 2)
        if interpreter:
            extra["ansible_python_interpreter"] = interpreter
        return self.timed([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                           "-f", str(forks), PLAYBOOK, "-e", json.dumps(extra)] + (["-vvv"] if verbose else []), env=env)

    def floor(self, host):
        return self.timed([sys.executable, FLOOR, json.dumps(host)])


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


# ---------------------------------------------------------------------------------------------
# Readiness, polling and memory


def first_read(timed, pattern, due):
    """``(path, start)`` of the first GET of a path matching ``pattern`` that started at ``due`` or later."""
    return next(((entry["path"], begun) for entry, begun in timed
                 if entry["method"] == "GET" and pattern.search(entry["path"]) and begun >= due), (None, None))


def readiness_lags(entries, delays):
    """``[(transition, resource path, lag seconds)]`` of one interconnect's converge: the provider's
    transitions and the end of each Azure long-running operation."""
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
    for transition, pattern, due in (("virtual circuit PROVISIONING", VIRTUAL_CIRCUIT, accepted),
                                     ("virtual circuit PROVISIONED", VIRTUAL_CIRCUIT, provisioned),
                                     ("Azure circuit Provisioned", AZURE_CIRCUIT, provisioned)):
        path, begun = first_read(timed, pattern, due)
        if path:
            lags.append((transition, path, begun - due))
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
            lags.append(("%s %s done" % (entry["method"], shorten(entry["path"])), path, begun - due))
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


HOST_PEAK = re.compile(r"module host ran crosscloud\.interconnect\.(\w+) \(\w+\): rc=\d+, peak RSS (\d+) KiB")


def read_peaks(lines):
    """``{module: peak RSS in MB}`` from ``<module>\t<KiB>`` pairs."""
    peaks = {}
    for module, kib in lines:
        peaks[module] = max(peaks.get(module, 0.0), int(kib) * 1024 / 1e6)
    return peaks


def rss_log_peaks(path):
    """Peaks from bench/rss_python's log (modules in processes of their own)."""
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return read_peaks(line.rstrip("\n").split("\t") for line in handle)


def host_peaks(run):
    """Peaks the action plugins printed at -vvv for the module host's children."""
    return read_peaks(HOST_PEAK.findall(run.output))


# ---------------------------------------------------------------------------------------------
# Report


def verdict(ok):
    return "OK" if ok else "OVER"


def ratio_line(label, value, floor, target, value_format="%.1f s", floor_label="floor"):
    ratio = value / floor if floor else float("inf")
    return "%s: %s, %s %s, ratio %.2fx (target <= %gx) %s" % (
        label, value_format % value, floor_label, value_format % floor, ratio, target, verdict(ratio <= target))


def run_label(run):
    return "" if run.ok else " [run FAILED rc=%d: %s]" % (run.returncode, run.failure())


def print_converge(one, one_again, floor, floor_again):
    print(ratio_line("converge 1", one.seconds, floor.seconds, TARGET_CONVERGE_RATIO) + run_label(one))
    print(ratio_line("idempotent 1", one_again.seconds, floor_again.seconds, TARGET_IDEMPOTENT_RATIO)
          + "; writes %d (target 0) %s" % (one_again.kinds["write"], verdict(one_again.kinds["write"] == 0))
          + run_label(one_again))
    print(ratio_line("API calls converge 1", one.api_calls, floor.api_calls, TARGET_CALLS_RATIO, value_format="%d"))
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


def print_many(one, many):
    print(ratio_line("converge %d (forks %d)" % (MANY, MANY), many.seconds, one.seconds, TARGET_MANY_RATIO,
                     floor_label="converge 1") + run_label(many))
    print("  converge %d calls: %s" % (MANY, many.calls_text()))


def print_readiness(run, peaks):
    lags = readiness_lags(run.entries, READINESS_DELAYS)
    delays = ", ".join("%s %g s" % item for item in sorted(READINESS_DELAYS.items()))
    print("readiness (delays: %s)%s:" % (delays, run_label(run)))
    for transition, path, lag in lags:
        print("  %s -> first read %.2f s later (%s)" % (transition, lag, shorten(path)))
    if lags:
        worst = max(lag for dummy, dummy, lag in lags)
        print("  max readiness lag: %.2f s (target <= %g s) %s" % (worst, TARGET_READINESS_LAG,
                                                                   verdict(worst <= TARGET_READINESS_LAG)))
    else:
        print("  max readiness lag: not measured (no virtual circuit created)")
    rate, path = fastest_reread(run.entries)
    print("  max poll rate of one resource: %.2f/s (%s) (target <= %g/s) %s" % (
        rate, shorten(path or "-"), TARGET_POLL_RATE, verdict(round(rate, 2) <= TARGET_POLL_RATE)))
    print_peaks("in the module host", peaks)


def print_peaks(where, peaks):
    if peaks:
        module, peak = max(peaks.items(), key=lambda item: item[1])
        print("peak RSS of a module %s: %.1f MB (%s) (target < %g MB) %s" % (
            where, peak, module, TARGET_RSS_MB, verdict(peak < TARGET_RSS_MB)))
        print("  by module: %s" % ", ".join("%s %.0f" % item for item in sorted(peaks.items(), key=lambda i: -i[1])))
    else:
        print("peak RSS of a module %s: not measured (no module ran there)" % where)


def print_own_processes(run, host_run, peaks):
    print("idempotent 1 with every module in its own process (no module host): %.1f s (with the host %.1f s)%s"
          % (run.seconds, host_run.seconds, run_label(run)))
    print_peaks("in its own process", peaks)


# ---------------------------------------------------------------------------------------------


def main():
    with open(DEMO_FIXTURE) as handle:
        demo = json.load(handle)
    fixture, hosts = generated_setups(demo, load_plan_module().DEFAULT_REGION_PAIRS, MANY)
    workdir = tempfile.mkdtemp(prefix="interconnect-bench-")
    bench = Bench(workdir, fixture)
    try:
        first = dict(list(hosts.items())[:1])
        one_inventory = write_inventory(os.path.join(workdir, "one"), first)
        many_inventory = write_inventory(os.path.join(workdir, "many"), hosts)
        print("interconnect bench: cloudsim with zero delays, %d CPUs (load average %.1f), %d generated setups; "
              "floor: median of %d rounds" % (os.cpu_count(), os.getloadavg()[0], MANY, FLOOR_ROUNDS))

        floor, floor_again = floor_runs(bench, floor_host(first["ic00"]))
        bench.reset()
        one = bench.playbook(one_inventory)
        one_again = bench.playbook(one_inventory)
        print_converge(one, one_again, floor, floor_again)
        print_repeated_reads(one)

        bench.reset()
        print_many(one, bench.playbook(many_inventory))

        bench.reset(READINESS_DELAYS)
        readiness = bench.playbook(one_inventory, verbose=True)
        print_readiness(readiness, host_peaks(readiness))

        # Converged now: a re-run with rss_python as the interpreter runs each module in its own process.
        rss_log = os.path.join(workdir, "rss.log")
        env = dict(bench.env, BENCH_RSS_PYTHON=sys.executable, BENCH_RSS_LOG=rss_log)
        own_processes = bench.playbook(one_inventory, interpreter=RSS_PYTHON, env=env)
        print_own_processes(own_processes, one_again, rss_log_peaks(rss_log))
        print("load average at the end: %.1f (other work on the machine stretches every time above)"
              % os.getloadavg()[0])
    finally:
        bench.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
