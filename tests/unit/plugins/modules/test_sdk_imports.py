"""A module imports its cloud SDK only once its arguments are valid: a bad option fails fast."""
import json
import subprocess
import sys

import pytest

from ansible_collections.crosscloud.interconnect.tests.conftest import COLLECTIONS_ROOT

CLOUD_MODULES = ("azure_network", "azure_network_info", "azure_nsg_rules", "expressroute_circuit", "expressroute_circuit_info",
                 "expressroute_gateway_connection", "expressroute_peering", "fastconnect_provider_info",
                 "fastconnect_virtual_circuit", "fastconnect_virtual_circuit_info", "oci_network", "oci_network_info",
                 "oci_route_rules", "oci_security_rules")
# Run the module with its arguments in a file (as AnsiballZ hands them over), then list the SDK packages
# it imported.
RUNNER = """
import json, runpy, sys
module, sys.argv = sys.argv[1], sys.argv[1:]
try:
    runpy.run_module(module, run_name="__main__")
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in ("azure", "oci"))))
"""


@pytest.mark.parametrize("module", CLOUD_MODULES)
def test_a_bad_option_fails_before_the_sdk_is_imported(module, tmp_path):
    arguments = tmp_path / "args.json"
    arguments.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {"no_such_option": 1}}))
    run = subprocess.run([sys.executable, "-c", RUNNER, "ansible_collections.crosscloud.interconnect.plugins.modules." + module,
                          str(arguments)], capture_output=True, text=True, cwd=COLLECTIONS_ROOT,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": COLLECTIONS_ROOT}, check=True)
    result = json.loads(run.stdout)
    assert result["failed"] and ("no_such_option" in result["msg"] or "required" in result["msg"]), result  # an argument error
    assert json.loads(run.stderr.strip().splitlines()[-1]) == []
