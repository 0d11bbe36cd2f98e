"""Every plugin's documentation renders with ansible-doc, as a user would read it."""
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
MODULES = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py"))


def ansible_doc(collections_root, plugin_type, names):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root, ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-doc")), "--json", "-t", plugin_type]
    command += ["crosscloud.interconnect.%s" % name for name in names]
    process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_every_module_documents_its_options_examples_and_returns(collections_root):
    docs = ansible_doc(collections_root, "module", MODULES)
    assert sorted(name.split(".")[-1] for name in docs) == MODULES
    for name, doc in docs.items():
        assert doc["doc"]["short_description"], name
        assert doc["doc"]["options"], name
        assert doc["examples"].strip(), name
        assert doc["return"], name


def test_interconnect_plan_doc_renders_its_inputs_and_plan(collections_root):
    doc = ansible_doc(collections_root, "module", ["interconnect_plan"])["crosscloud.interconnect.interconnect_plan"]
    for option in ("azure_vnet_cidrs", "oci_vcn_cidrs", "bgp_cidr", "gateway_subnet_cidr", "inventory_bgp_cidrs"):
        assert option in doc["doc"]["options"]
    assert {"plan", "problems"} <= set(doc["return"])


def test_the_filters_are_documented(collections_root):
    names = ["argument_check", "argument_problems", "interconnect_health", "interconnect_report_view", "interconnect_summary",
             "interconnect_teardown_outcome"]
    docs = ansible_doc(collections_root, "filter", names)
    assert sorted(docs) == ["crosscloud.interconnect.%s" % name for name in sorted(names)]
    assert all(doc["doc"]["short_description"] and doc["doc"]["options"] for doc in docs.values())


def test_the_progress_callback_and_the_wait_calls_filter_are_documented(collections_root):
    callback = ansible_doc(collections_root, "callback", ["progress"])["crosscloud.interconnect.progress"]
    assert callback["doc"]["type"] == "notification" and callback["doc"]["short_description"]
    wait_calls = ansible_doc(collections_root, "filter", ["wait_calls"])["crosscloud.interconnect.wait_calls"]
    assert set(wait_calls["doc"]["options"]) == {"_input", "return_after"}
    split = ansible_doc(collections_root, "module", ["fastconnect_virtual_circuit"])
    assert {"wait_return_after", "wait_started"} <= set(split["crosscloud.interconnect.fastconnect_virtual_circuit"]["doc"]["options"])
