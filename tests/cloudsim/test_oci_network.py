"""VCNs, route tables, security lists, DRGs and DRG attachments through the real oci SDK."""
import oci
import pytest
from oci.core.models import (CreateDrgAttachmentDetails, CreateDrgDetails, CreateRouteTableDetails,
                             CreateSecurityListDetails, CreateVcnDetails,
                             EgressSecurityRule, IngressSecurityRule, PortRange, RouteRule,
                             TcpOptions, UpdateRouteTableDetails, UpdateSecurityListDetails)

from cloudsim.oci.testing import network_client, service_error, wait_for
from cloudsim.sim import SimConfig

TENANCY = SimConfig().oci_tenancy_ocid  # the conftest runs the default configuration
AZURE_CIDR = "10.10.0.0/16"


@pytest.fixture
def client(running_sim):
    return network_client(running_sim)


def wait_state(get, ocid, state):
    return wait_for(lambda: get(ocid).data, lambda resource: resource.lifecycle_state == state)


@pytest.fixture
def vcn(client):
    created = client.create_vcn(CreateVcnDetails(compartment_id=TENANCY, cidr_block="10.20.0.0/16",
                                                 display_name="app", dns_label="app")).data
    return wait_state(client.get_vcn, created.id, "AVAILABLE")


@pytest.fixture
def drg(client):
    created = client.create_drg(CreateDrgDetails(compartment_id=TENANCY, display_name="gw")).data
    assert created.lifecycle_state == "PROVISIONING"
    return wait_state(client.get_drg, created.id, "AVAILABLE")


@pytest.fixture
def attachment(client, drg, vcn):
    created = client.create_drg_attachment(CreateDrgAttachmentDetails(
        drg_id=drg.id, vcn_id=vcn.id, display_name="gw-app")).data
    assert created.lifecycle_state == "ATTACHING"
    return wait_state(client.get_drg_attachment, created.id, "ATTACHED")


def route_to(drg_id, destination=AZURE_CIDR):
    return RouteRule(destination=destination, destination_type="CIDR_BLOCK",
                     network_entity_id=drg_id)


def test_vcn_comes_with_default_route_table_and_security_list(client, vcn):
    assert vcn.cidr_blocks == ["10.20.0.0/16"] and vcn.vcn_domain_name == "app.oraclevcn.com"
    tables = client.list_route_tables(TENANCY, vcn_id=vcn.id).data
    assert [table.id for table in tables] == [vcn.default_route_table_id]
    security = client.get_security_list(vcn.default_security_list_id).data
    assert security.vcn_id == vcn.id
    assert {rule.source for rule in security.ingress_security_rules} == {"0.0.0.0/0", "10.20.0.0/16"}
    assert [rule.protocol for rule in security.egress_security_rules] == ["all"]


def test_vcn_delete_takes_its_defaults_along(client, vcn):
    client.delete_vcn(vcn.id)
    assert wait_state(client.get_vcn, vcn.id, "TERMINATED").id == vcn.id
    assert client.get_route_table(vcn.default_route_table_id).data.lifecycle_state in (
        "TERMINATING", "TERMINATED")


def test_vcn_keeps_its_extra_tables_and_lists_until_they_go(client, vcn):
    table = client.create_route_table(CreateRouteTableDetails(
        compartment_id=TENANCY, vcn_id=vcn.id, display_name="extra", route_rules=[])).data
    security = client.create_security_list(CreateSecurityListDetails(
        compartment_id=TENANCY, vcn_id=vcn.id, egress_security_rules=[],
        ingress_security_rules=[IngressSecurityRule(protocol="1", source=AZURE_CIDR)])).data
    assert {found.id for found in client.list_security_lists(TENANCY, vcn_id=vcn.id).data} == \
        {security.id, vcn.default_security_list_id}

    blocked = service_error(lambda: client.delete_vcn(vcn.id))
    assert (blocked.status, blocked.code) == (409, "IncorrectState")
    default = service_error(lambda: client.delete_route_table(vcn.default_route_table_id))
    assert (default.status, default.code) == (409, "IncorrectState")

    client.delete_route_table(table.id)
    client.delete_security_list(security.id)
    client.delete_vcn(vcn.id)
    assert wait_state(client.get_route_table, table.id, "TERMINATED").vcn_id == vcn.id


def test_vcn_cidr_is_validated(client):
    error = service_error(lambda: client.create_vcn(CreateVcnDetails(
        compartment_id=TENANCY, cidr_block="10.20.0.0/8")))
    assert (error.status, error.code) == (400, "InvalidParameter")


def test_drg_attachment_filters_and_single_attachment_per_vcn(client, drg, vcn,
                                                              attachment):
    for query in ({"drg_id": drg.id}, {"vcn_id": vcn.id}, {}):
        assert [found.id for found in client.list_drg_attachments(TENANCY, **query).data] == \
            [attachment.id]
    assert client.list_drg_attachments(TENANCY, vcn_id=drg.id).data == []
    other = client.create_drg(CreateDrgDetails(compartment_id=TENANCY)).data
    error = service_error(lambda: client.create_drg_attachment(
        CreateDrgAttachmentDetails(drg_id=other.id, vcn_id=vcn.id)))
    assert error.status == 409


def test_route_table_put_replaces_the_rules(client, vcn, drg, attachment):
    table_id = vcn.default_route_table_id
    client.update_route_table(table_id, UpdateRouteTableDetails(
        route_rules=[route_to(drg.id, "10.10.0.0/16"), route_to(drg.id, "10.11.0.0/16")]))
    updated = client.update_route_table(table_id, UpdateRouteTableDetails(
        route_rules=[route_to(drg.id, "10.12.0.0/16")])).data
    assert [(rule.destination, rule.network_entity_id) for rule in updated.route_rules] == \
        [("10.12.0.0/16", drg.id)]
    assert client.get_route_table(table_id).data.route_rules == updated.route_rules


@pytest.mark.parametrize("rule", [
    RouteRule(destination="10.10.0.0/33", network_entity_id="ocid1.internetgateway.oc1..x"),
    RouteRule(destination="10.10.0.0/16", cidr_block="10.10.0.0/16",
              network_entity_id="ocid1.internetgateway.oc1..x"),
    RouteRule(destination="10.10.0.0/16", destination_type="NOWHERE",
              network_entity_id="ocid1.internetgateway.oc1..x"),
])
def test_route_rules_are_validated(client, vcn, rule):
    error = service_error(lambda: client.update_route_table(
        vcn.default_route_table_id, UpdateRouteTableDetails(route_rules=[rule])))
    assert (error.status, error.code) == (400, "InvalidParameter")


def test_route_to_a_drg_needs_it_attached_to_the_vcn(client, vcn, drg):
    error = service_error(lambda: client.update_route_table(
        vcn.default_route_table_id, UpdateRouteTableDetails(route_rules=[route_to(drg.id)])))
    assert (error.status, error.code) == (400, "InvalidParameter")
    assert "not attached" in error.message


def test_security_list_put_replaces_both_directions(client, vcn):
    ingress = IngressSecurityRule(protocol="6", source=AZURE_CIDR, tcp_options=TcpOptions(
        destination_port_range=PortRange(min=1521, max=1522)))
    updated = client.update_security_list(vcn.default_security_list_id, UpdateSecurityListDetails(
        ingress_security_rules=[ingress],
        egress_security_rules=[EgressSecurityRule(protocol="all", destination=AZURE_CIDR)])).data
    assert [(rule.source, rule.tcp_options.destination_port_range.min, rule.is_stateless)
            for rule in updated.ingress_security_rules] == [(AZURE_CIDR, 1521, False)]
    assert [rule.destination for rule in updated.egress_security_rules] == [AZURE_CIDR]
    only_display_name = client.update_security_list(
        updated.id, UpdateSecurityListDetails(display_name="renamed")).data
    assert only_display_name.ingress_security_rules == updated.ingress_security_rules


@pytest.mark.parametrize("rule", [
    IngressSecurityRule(protocol="tcp", source=AZURE_CIDR),
    IngressSecurityRule(protocol="17", source=AZURE_CIDR, tcp_options=TcpOptions()),
    IngressSecurityRule(protocol="6", source=AZURE_CIDR, tcp_options=TcpOptions(
        destination_port_range=PortRange(min=2000, max=1000))),
    IngressSecurityRule(protocol="6", source="10.10.0.1/16"),
])
def test_security_rules_are_validated(client, vcn, rule):
    error = service_error(lambda: client.update_security_list(
        vcn.default_security_list_id, UpdateSecurityListDetails(ingress_security_rules=[rule])))
    assert (error.status, error.code) == (400, "InvalidParameter")


def test_drg_teardown_order_is_enforced(client, vcn, drg, attachment):
    client.update_route_table(vcn.default_route_table_id,
                              UpdateRouteTableDetails(route_rules=[route_to(drg.id)]))
    in_use = service_error(lambda: client.delete_drg(drg.id))
    assert (in_use.status, in_use.code) == (409, "IncorrectState")
    routed = service_error(lambda: client.delete_drg_attachment(attachment.id))
    assert (routed.status, routed.code) == (409, "Conflict")

    client.update_route_table(vcn.default_route_table_id, UpdateRouteTableDetails(route_rules=[]))
    client.delete_drg_attachment(attachment.id)
    wait_state(client.get_drg_attachment, attachment.id, "DETACHED")
    client.delete_drg(drg.id)
    assert wait_state(client.get_drg, drg.id, "TERMINATED").id == drg.id


def test_deleted_drg_cannot_be_updated(client, drg):
    client.delete_drg(drg.id)
    error = service_error(lambda: client.update_drg(drg.id, oci.core.models.UpdateDrgDetails(
        display_name="late")))
    assert (error.status, error.code) == (409, "IncorrectState")
