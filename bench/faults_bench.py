# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How playbooks/interconnect.yml rides out a faulty cloud (issue "Reliability", targets).

Run ``python bench/faults_bench.py`` from the repository root (``make bench`` does). One in-process
cloudsim serves the demo fixture (cloudsim/fixtures/demo.json) and every run converges the demo
inventory (inventories/demo: two interconnects) from that fixture (``/_sim/reset``), with faults set
through the simulator's admin API (``PUT /_sim/faults``). The runs, the collection path and the
interpreter come from bench/interconnect_bench.py.

- baseline: converges without faults (median of 3); its wall time is the reference of ``faults`` and its final
  state the one a successful converge leaves (duplicates and orphans are counted against it);
- faults: 10% 429 and 10% 500/503 on every path (token endpoint included), one run per seed:
  converged out of N, duplicates, wall time against the baseline;
- drops: 5% of connections closed unanswered, one run per seed: converged out of N;
- outage: every call to OCI's virtual circuits answered 500/503: the run fails, in how long (against
  twice the collection's per-request time budget, common.REQUEST_TIME_BUDGET) and with which error;
- interrupt: ansible-playbook and every process under it killed at a random moment of a converge,
  then one re-run: converged out of trials, duplicates, orphans;
- concurrent: two converges of the inventory at once with the ``realistic`` delays: one interconnect
  per host at the end, each run's rc and failure message.

Prints figures, each with its target: OK or OVER; nothing here asserts on time. ``--measure`` picks
measurements, ``--seeds`` and ``--trials`` set the counts. With the defaults (10 seeds, 20 trials) it
should take about 20 minutes on the 2-CPU development machine busy with other work (load average 3 to
6): a converge of the demo inventory takes 14 to 25 s there, a faulty one 25 to 45 s, an interrupted
trial and its re-run about 30 s, the outage about 35 s, the concurrent runs a minute;
``--seeds 2 --trials 3`` took 6.5 minutes.
"""

import argparse
import collections
import importlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import shutil

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)

import interconnect_bench as house  # noqa: E402 (bench/ is the script's directory)
from plan_bench import load_plan_module  # noqa: E402

DEMO_INVENTORY = os.path.join(house.REPO, "inventories", "demo")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
COMMON_MODULE = "ansible_collections.crosscloud.interconnect.plugins.module_utils.common"
MEASUREMENTS = ("faults", "drops", "outage", "interrupt", "concurrent")

FAULTS = dict(throttle_rate=0.1, error_rate=0.1, retry_after=1, include_token_endpoint=True)
DROPS = dict(drop_rate=0.05, include_token_endpoint=True)
OUTAGE = dict(error_rate=1.0, path_pattern=r"^/oci/[^/]+/20160918/virtualCircuits")  # in every region

# The baseline is the median of a few runs: a busy machine moves one run by seconds.
BASELINE_ROUNDS = 3
TARGET_FAULTS_RATIO = 2.0   # wall time of a faulty converge vs. the baseline
TARGET_OUTAGE_BUDGETS = 2   # an outage fails the run within this many request time budgets
# A failure of one of two concurrent runs is not misleading when it says another run is at work.
CONCURRENCY_WORDS = re.compile(r"concurren|another|in progress|being (created|updated|modified)|conflict|412|"
                               r"precondition|locked|retry the run", re.IGNORECASE)

# Kinds whose names must be unique in the state (ARM type or OCI collection).
ONE_PER_NAME = ("Microsoft.Network/expressRouteCircuits", "Microsoft.Network/connections", "virtualCircuits")
GONE = ("TERMINATED", "TERMINATING")


# ---------------------------------------------------------------------------------------------
# State: duplicates and orphans


def state_items(state):
    """``Counter`` of what the state holds, by identity: Azure resources by type and name, their NSG
    rules and circuit peerings; live OCI resources by collection and display name, their route rules
    and security rules."""
    items = collections.Counter()
    for entry in state["azure"]["resources"]:
        items[(entry["type"], entry["name"])] += 1
        for rule in entry["properties"].get("securityRules", []):
            items[("nsg rule", entry["name"], rule["name"])] += 1
        for peering in entry["properties"].get("peerings", []):
            items[("peering", entry["name"], peering["name"])] += 1
    for kind, entries in state["oci"]["resources"].items():
        for entry in entries:
            if entry.get("lifecycleState") in GONE:
                continue
            items[(kind, entry.get("displayName"))] += 1
            for rule in entry.get("routeRules", []):
                items[("route rule", entry["displayName"], rule["destination"], rule["networkEntityId"])] += 1
            for direction in ("ingressSecurityRules", "egressSecurityRules"):
                for rule in entry.get(direction, []):
                    items[(direction, entry["displayName"], rule.get("source") or rule.get("destination"),
                           rule["protocol"])] += 1
    return items


class Outcome(object):
    """A run's end state against the baseline's: duplicates, orphans and what is missing."""

    def __init__(self, items, reference):
        self.duplicates = dict(("%s %s" % (key[0].rsplit("/", 1)[-1], key[1]), count)
                               for key, count in items.items() if key[0] in ONE_PER_NAME and count > 1)
        excess = items - reference
        self.orphans = sorted(key for key in excess if key[0] not in ONE_PER_NAME or key not in reference)
        self.missing = sorted(reference - items)

    @property
    def duplicate_count(self):
        return sum(count - 1 for count in self.duplicates.values())

    def text(self):
        parts = ["duplicates: %s" % ", ".join("%s x%d" % item for item in sorted(self.duplicates.items()))
                 if self.duplicates else ""]
        parts.append("orphans: %s" % "; ".join(" ".join(map(str, key)) for key in self.orphans[:4])
                     if self.orphans else "")
        parts.append("missing: %s" % "; ".join(" ".join(map(str, key)) for key in self.missing[:4])
                     if self.missing else "")
        return ", ".join(part for part in parts if part)


def outcome(bench, reference):
    return Outcome(state_items(bench.sim.admin("GET", "state")), reference)


# ---------------------------------------------------------------------------------------------
# Runs


def faulty_run(bench, faults, seed):
    """A converge of the demo inventory from the fixture with ``faults`` (seeded)."""
    bench.reset()
    if faults:
        bench.sim.admin("PUT", "faults", dict(faults, seed=seed))
    return bench.playbook(DEMO_INVENTORY)


def injected(run):
    """``Counter`` of the faults the simulator injected during ``run``."""
    return collections.Counter(entry["fault"] for entry in run.entries if entry["fault"])


def retry_waits(run):
    """Seconds from the end of each injected fault to the next call of the same method and path
    (the client's back-off; a drop counts from when the connection was closed)."""
    timed = [(entry, house.entry_times(entry)) for entry in run.entries]
    waited = 0.0
    for index, (entry, (dummy, end)) in enumerate(timed):
        if entry["fault"]:
            waited += next((begun - end for later, (begun, dummy) in timed[index + 1:]
                            if later["method"] == entry["method"] and later["path"] == entry["path"]), 0.0)
    return waited


def message(run):
    """The ``msg`` of a run's last failure line, else the line."""
    line = run.failure()
    found = re.search(r'"msg": "((?:[^"\\]|\\.)*)', line)
    return (found.group(1) if found else line)[:300]


def short(task_name):
    """A task name without its role prefix, cut to 50 characters."""
    return task_name.split(" : ", 1)[-1][:50]


def task_seconds(run):
    """``Counter``: seconds of each task (by name, summed over hosts)."""
    seconds = collections.Counter()
    for task in run.tasks:
        seconds[task["task"]] += task["end"] - task["start"]
    return seconds


def where_text(run, baseline, limit=4):
    """The tasks that took longer than in the baseline, most first: where a slow run's time went."""
    extra = task_seconds(run)
    extra.subtract(task_seconds(baseline))
    slower = [(short(name), seconds) for name, seconds in extra.most_common(limit) if seconds >= 0.5]
    return "; ".join("%s +%.1f s" % item for item in slower) or "no task slower by 0.5 s"


def launch(bench, tag):
    """ansible-playbook on the demo inventory, in the background, its output in a file of its own."""
    extra = dict(interconnect_report_dir=os.path.join(bench.workdir, "reports-" + tag),
                 interconnect_wait_timeout=house.RUN_TIMEOUT // 2, ansible_python_interpreter=bench.counter.path)
    output = open(os.path.join(bench.workdir, "output-%s.log" % tag), "w+")
    task_log = os.path.join(bench.workdir, "tasks-%s-%d.log" % (tag, time.time() * 1000))
    process = subprocess.Popen([ANSIBLE_PLAYBOOK, "-i", DEMO_INVENTORY, "-f", str(house.MANY), house.PLAYBOOK,
                                "-e", json.dumps(extra)], env=dict(bench.env, BENCH_TASK_LOG=task_log),
                               cwd=bench.workdir, stdout=output, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    process.output_file, process.task_log, process.started = output, task_log, time.monotonic()
    return process


def finished(processes):
    """House Runs of launched processes once they all ended, each with its own wall time (no request
    log: the runs may overlap); one still running after RUN_TIMEOUT is killed."""
    ends = {}
    while len(ends) < len(processes):
        for process in processes:
            if process.pid not in ends and process.poll() is not None:
                ends[process.pid] = time.monotonic()
            elif process.pid not in ends and time.monotonic() - process.started > house.RUN_TIMEOUT:
                kill_tree(process)
        time.sleep(0.05)
    runs = []
    for process in processes:
        process.output_file.seek(0)
        run = house.Run(ends[process.pid] - process.started, process.returncode, process.output_file.read(), [])
        process.output_file.close()
        run.playbook_start, run.tasks = house.read_tasks(process.task_log)
        runs.append(run)
    return runs


def descendants(root):
    """Pids of every process under ``root`` (from /proc): Ansible's workers call setsid(), so they are
    out of ansible-playbook's session and process group, but not out of its tree."""
    children = collections.defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(name))
    found, todo = [], [root]
    while todo:
        for child in children[todo.pop()]:
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process):
    """SIGKILL ansible-playbook and every process under it, then reap them. What escapes the first
    round (a fork meanwhile; orphans are re-parented to the bench, a child subreaper) is found under
    the bench and killed too: the bench starts no other process meanwhile. Returns how many
    processes it killed."""
    killed = set()
    pids = [process.pid] + descendants(process.pid)
    for dummy in range(50):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        process.wait()
        house.reap_stragglers()
        pids = descendants(os.getpid())
        if not pids:
            break
    return len(killed)


def interrupted_trial(bench, moment, reference):
    """``(processes killed, last task ended before, re-run, outcome)``: a converge from the fixture
    killed ``moment`` seconds in (0 processes when it had ended), then one converge."""
    bench.reset()
    process = launch(bench, "interrupted")
    try:
        process.wait(timeout=moment)
        killed = 0
    except subprocess.TimeoutExpired:
        killed = kill_tree(process)
    tasks = finished([process])[0].tasks
    last = short(max(tasks, key=lambda task: task["end"])["task"]) if tasks else "none"
    rerun = bench.playbook(DEMO_INVENTORY)
    return killed, last, rerun, outcome(bench, reference)


# ---------------------------------------------------------------------------------------------
# Measurements


def print_runs(label, runs, seeds, reference, baseline, ratio_target=None):
    """Converged out of N, duplicates and orphans of fault runs; with ``ratio_target`` their wall time
    against the baseline's."""
    outcomes = [outcome_of for dummy, outcome_of in runs]
    converged = sum(1 for run, result in runs if run.ok and not result.missing)
    count = len(runs)
    print("%s: converged %d/%d (target %d/%d) %s" % (
        label, converged, count, count, count, house.verdict(converged == count, label + " converged")))
    duplicates = sum(result.duplicate_count for result in outcomes)
    orphans = sum(len(result.orphans) for result in outcomes)
    print("  duplicates %d (target 0) %s; orphans %d (target 0) %s" % (
        duplicates, house.verdict(duplicates == 0, label + " duplicates"),
        orphans, house.verdict(orphans == 0, label + " orphans")))
    for seed, (run, result) in zip(seeds, runs):
        faults = injected(run)
        line = "    seed %d: rc %d, %.1f s, %d calls, injected %s; retry waits %.1f s (both hosts)" % (
            seed, run.returncode, run.seconds, run.api_calls + run.kinds["auth"],
            ", ".join("%s %d" % item for item in sorted(faults.items())) or "none", retry_waits(run))
        if ratio_target and run.seconds > ratio_target * baseline.seconds:
            line += "; task-seconds over the baseline's: %s" % where_text(run, baseline)
        if not run.ok:
            line += "; FAILED: %s" % message(run)
        if result.text():
            line += "; " + result.text()
        print(line)
    if ratio_target:
        worst = max(run.seconds for run, dummy in runs)
        mean = sum(run.seconds for run, dummy in runs) / count
        print("  wall time: mean %.1f s, worst %.1f s vs. baseline %.1f s: worst %.2fx (target <= %gx) %s" % (
            mean, worst, baseline.seconds, worst / baseline.seconds, ratio_target,
            house.verdict(worst <= ratio_target * baseline.seconds, label + " wall time")))


def measure_seeded(bench, label, faults, args, reference, baseline, ratio_target=None):
    seeds = [args.seed + index for index in range(args.seeds)]
    runs = []
    for seed in seeds:
        run = faulty_run(bench, faults, seed)
        runs.append((run, outcome(bench, reference)))
    print_runs(label, runs, seeds, reference, baseline, ratio_target)


def measure_outage(bench, reference, budget):
    run = faulty_run(bench, OUTAGE, 0)
    limit = TARGET_OUTAGE_BUDGETS * budget
    faulted = [house.entry_times(entry)[0] for entry in run.entries if entry["fault"]]
    after = (run.ended - min(faulted)) if faulted else float("nan")
    print("outage (error_rate 1.0 on %s): the run %s (target: fails) %s" % (
        OUTAGE["path_pattern"], "fails, rc %d" % run.returncode if not run.ok else "SUCCEEDS",
        house.verdict(not run.ok, "outage fails")))
    print("  time to failure %.1f s (%.1f s after the first failed call; %d calls failed) (target <= %d x %d s = %d s) %s"
          % (run.seconds, after, len(faulted), TARGET_OUTAGE_BUDGETS, budget, limit,
             house.verdict(run.seconds <= limit, "outage time to failure")))
    if run.seconds > limit:
        print("    where the time went: %s" % "; ".join(
            "%s %.1f s" % (short(name), seconds) for name, seconds in task_seconds(run).most_common(4)))
    print("  last error: %s" % (message(run) if not run.ok else "none"))


def measure_interrupt(bench, args, reference, baseline):
    chooser = random.Random(args.seed)
    killed, processes, converged, duplicates, orphans, lines = 0, 0, 0, 0, 0, []
    for trial in range(args.trials):
        moment = chooser.uniform(0.5, baseline.seconds)
        pids, last, rerun, result = interrupted_trial(bench, moment, reference)
        killed += bool(pids)
        processes += pids
        converged += rerun.ok and not result.missing
        duplicates += result.duplicate_count
        orphans += len(result.orphans)
        lines.append("    trial %d: killed at %.1f s (%s; last task ended: %s), re-run rc %d, %.1f s%s%s" % (
            trial, moment, "%d processes" % pids if pids else "the run had ended", last, rerun.returncode,
            rerun.seconds, "; FAILED: %s" % message(rerun) if not rerun.ok else "",
            "; " + result.text() if result.text() else ""))
    count = args.trials
    print("interrupted converge (SIGKILL at a random moment of the first %.0f s: %d of %d trials killed mid-run, "
          "%d processes), then one re-run: converged %d/%d (target %d/%d) %s" % (
              baseline.seconds, killed, count, processes, converged, count, count, count,
              house.verdict(converged == count, "interrupt converged")))
    print("  duplicates %d (target 0) %s; orphans %d (target 0) %s" % (
        duplicates, house.verdict(duplicates == 0, "interrupt duplicates"),
        orphans, house.verdict(orphans == 0, "interrupt orphans")))
    for line in lines:
        print(line)


def measure_concurrent(bench, reference, baseline):
    bench.reset(house.DELAY_PRESETS["realistic"])
    runs = finished([launch(bench, "concurrent-%d" % index) for index in (1, 2)])
    result = outcome(bench, reference)
    writes = [entry for entry in bench.sim.admin("GET", "log")["entries"] if entry["kind"] == "write"]
    refused = collections.Counter(entry["status"] for entry in writes if entry["status"] >= 400)
    single = not result.duplicates and not result.missing
    print("two concurrent converges (realistic delays): one interconnect per host at the end %s (target yes) %s%s" % (
        "yes" if single else "NO", house.verdict(single, "concurrent one per host"),
        "; " + result.text() if result.text() else ""))
    print("  writes of both runs: %d (one run from the fixture: %d), refused: %s" % (
        len(writes), baseline.kinds["write"], ", ".join("%s %d" % item for item in sorted(refused.items())) or "none"))
    for index, run in enumerate(runs, 1):
        clear = run.ok or bool(CONCURRENCY_WORDS.search(message(run)))
        print("  run %d: rc %d, %.2f s%s (target: rc 0, or a failure that says another run is at work) %s" % (
            index, run.returncode, run.seconds, "" if run.ok else "; failed: %s" % message(run),
            house.verdict(clear, "concurrent run %d message" % index)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--measure", default=",".join(MEASUREMENTS),
                        help="comma-separated measurements of %s (default: all)" % ", ".join(MEASUREMENTS))
    parser.add_argument("--seeds", type=int, default=10, help="runs (fault seeds) of faults and drops (default 10)")
    parser.add_argument("--trials", type=int, default=20, help="interrupted converges (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="first fault seed; also seeds the kill moments (default 1)")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.measure.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(MEASUREMENTS))
    if unknown:
        parser.error("unknown measurement(s): %s" % ", ".join(unknown))

    load_plan_module()  # puts the checkout on sys.path as ansible_collections.crosscloud.interconnect
    budget = importlib.import_module(COMMON_MODULE).REQUEST_TIME_BUDGET
    with open(house.DEMO_FIXTURE) as handle:
        fixture = json.load(handle)
    workdir = tempfile.mkdtemp(prefix="faults-bench-")
    house.become_subreaper()
    bench = house.Bench(workdir, fixture)
    begun = time.monotonic()
    try:
        print("faults bench: demo inventory (2 interconnects) on cloudsim's demo fixture, zero delays unless said; "
              "%d CPUs (load average %.1f); seeds %d from %d, trials %d; request time budget %d s" % (
                  os.cpu_count(), os.getloadavg()[0], args.seeds, args.seed, args.trials, budget))
        baselines = [faulty_run(bench, None, 0) for dummy in range(BASELINE_ROUNDS)]
        reference = state_items(bench.sim.admin("GET", "state"))
        baseline = house.median_run(baselines)
        print("baseline (no faults, median of %d: %s): %.1f s, rc %d, %s%s" % (
            BASELINE_ROUNDS, ", ".join("%.1f" % run.seconds for run in baselines), baseline.seconds,
            baseline.returncode, baseline.calls_text(), house.run_label(baseline)))
        if "faults" in chosen:
            measure_seeded(bench, "10%% 429 + 10%% 500/503 (retry-after %d s, every path)" % FAULTS["retry_after"],
                           FAULTS, args, reference, baseline, TARGET_FAULTS_RATIO)
        if "drops" in chosen:
            measure_seeded(bench, "5% dropped connections (every path)", DROPS, args, reference, baseline)
        if "outage" in chosen:
            measure_outage(bench, reference, budget)
        if "interrupt" in chosen:
            measure_interrupt(bench, args, reference, baseline)
        if "concurrent" in chosen:
            measure_concurrent(bench, reference, baseline)
        print("faults bench took %.0f s; load average at the end: %.1f" % (time.monotonic() - begun, os.getloadavg()[0]))
        house.print_summary()
    finally:
        bench.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
