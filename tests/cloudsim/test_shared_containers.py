# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interconnects of one run that share an NSG or a route table write it at once (one fork each).

Every writer reads the container, then all write together: cloudsim's etags let one win and answer the
others 412, as Azure and OCI do. Each loser reads again and plans again, so in the end every writer's rules
are there and none was lost. The collection's own code runs, with the real SDKs, in one thread per writer.
"""

import threading

from ansible_collections.crosscloud.interconnect.plugins.module_utils.azure import AzureApi
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import OciApi, reconcile_rule_containers
from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci_rules
from ansible_collections.crosscloud.interconnect.plugins.modules import azure_nsg_rules

WRITERS = 4
COMPARTMENT = "ocid1.compartment.oc1..shared"
VCN = "ocid1.vcn.oc1.ap-tokyo-1.shared"
DRG = "ocid1.drg.oc1.ap-tokyo-1.shared"
ROUTE_TABLE = "ocid1.routetable.oc1.ap-tokyo-1.shared"
FIXTURE = {
    "azure": {
        "resourceGroups": {"rg-shared": {"location": "japaneast"}},
        "resources": [{"path": "resourceGroups/rg-shared/providers/Microsoft.Network/networkSecurityGroups/nsg-shared",
                       "body": {"location": "japaneast", "properties": {"securityRules": []}}}],
    },
    "oci": {
        "compartments": [{"id": COMPARTMENT, "name": "shared"}],
        "vcns": [{"id": VCN, "compartmentId": COMPARTMENT, "displayName": "vcn-shared", "cidrBlocks": ["10.20.0.0/16"]}],
        "drgs": [{"id": DRG, "compartmentId": COMPARTMENT, "displayName": "drg-shared"}],
        "drgAttachments": [{"id": "ocid1.drgattachment.oc1.ap-tokyo-1.shared", "drgId": DRG, "vcnId": VCN}],
        "routeTables": [{"id": ROUTE_TABLE, "compartmentId": COMPARTMENT, "vcnId": VCN, "displayName": "rt-shared",
                         "routeRules": []}],
    },
}
WAIT = dict(wait_for=["succeeded"], wait_timeout=60, wait_interval=0.1)


def cidr(writer):
    return "10.%d.0.0/16" % (100 + writer)


def reading_together(api, method, barrier):
    """``api`` whose first ``method`` call returns only once every writer has made its own: all writers read
    the same version of the container, so all but one write over a stale etag."""
    read = getattr(api, method)
    first = []

    def read_then_wait(*args, **kwargs):
        value = read(*args, **kwargs)
        if not first:
            first.append(1)
            barrier.wait()
        return value
    setattr(api, method, read_then_wait)
    return api


def run_writers(write):
    errors, results = [], [None] * WRITERS

    def run(writer):
        try:
            results[writer] = write(writer)
        except Exception as error:  # the assertion below shows it
            errors.append(error)
    threads = [threading.Thread(target=run, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return results


def refusals_412(sim, path_part):
    return [entry for entry in sim.admin("GET", "log?kind=write")["entries"]
            if entry["status"] == 412 and path_part in entry["path"]]


def test_writers_of_one_nsg_all_get_their_rules(running_sim, monkeypatch):
    for name, value in running_sim.env.items():
        monkeypatch.setenv(name, value)
    running_sim.sim.load_fixture(FIXTURE)
    auth = dict(subscription_id=running_sim.env["AZURE_SUBSCRIPTION_ID"], client_id=running_sim.env["AZURE_CLIENT_ID"],
                secret=running_sim.env["AZURE_SECRET"], tenant=running_sim.env["AZURE_TENANT"],
                cloud_environment=running_sim.env["AZURE_CLOUD_ENVIRONMENT"])
    barrier = threading.Barrier(WRITERS, timeout=30)

    def write(writer):
        api = reading_together(AzureApi(auth), "get_or_fail", barrier)
        params = dict(resource_group="rg-shared", network_security_group="nsg-shared", state="present",
                      cidrs=[cidr(writer)], directions=["Inbound"], local_address_prefix="VirtualNetwork",
                      protocol="*", destination_port_range="*", name_prefix="interconnect-w%d-" % writer,
                      priority_range=[1000 + 10 * writer, 1009 + 10 * writer], purge=True)
        return azure_nsg_rules.reconcile(api, params, tuple(params["priority_range"]), False, WAIT)

    results = run_writers(write)

    assert all(result["changed"] for result in results)
    group = running_sim.admin("GET", "state")["azure"]["resources"]
    rules = [rule["name"] for resource in group if resource["name"] == "nsg-shared"
             for rule in resource["properties"]["securityRules"]]
    assert sorted(rules) == sorted("interconnect-w%d-inbound-10.%d.0.0-16" % (writer, 100 + writer)
                                   for writer in range(WRITERS))
    assert refusals_412(running_sim, "nsg-shared"), "the writers did race (else this test proves nothing)"


def test_writers_of_one_route_table_all_get_their_rules(running_sim, monkeypatch):
    for name, value in running_sim.env.items():
        monkeypatch.setenv(name, value)
    running_sim.sim.load_fixture(FIXTURE)
    auth = dict(config_file=running_sim.env["OCI_CONFIG_FILE"], config_profile=running_sim.env["OCI_CONFIG_PROFILE"],
                service_endpoint=running_sim.env["OCI_SERVICE_ENDPOINT"], region=running_sim.env["OCI_REGION"])
    barrier = threading.Barrier(WRITERS, timeout=30)

    def write(writer):
        api = reading_together(OciApi(auth), "read_with_etag", barrier)
        params = dict(cidrs=[cidr(writer)], network_entity_id=DRG, state="present", purge=False,
                      marker="interconnect-w%d" % writer)
        return reconcile_rule_containers(api, False, "route table", [ROUTE_TABLE], api.client.get_route_table,
                                         api.client.update_route_table, oci_rules.route_planner(params))

    results = run_writers(write)

    assert all(result["changed"] for result in results)
    table = next(item for item in running_sim.admin("GET", "state")["oci"]["resources"]["routeTables"]
                 if item["id"] == ROUTE_TABLE)
    assert sorted(rule["destination"] for rule in table["routeRules"]) == sorted(cidr(w) for w in range(WRITERS))
    assert refusals_412(running_sim, ROUTE_TABLE), "the writers did race (else this test proves nothing)"
