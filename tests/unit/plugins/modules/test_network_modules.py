# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of azure_network and oci_network: what an existing network gets, and what is refused."""

from ansible_collections.crosscloud.interconnect.plugins.modules import azure_network
from ansible_collections.crosscloud.interconnect.plugins.modules import oci_network

PARAMS = dict(address_prefixes=["10.70.0.0/16"], gateway_subnet_prefix="10.70.255.0/27", gateway_sku="ErGw3AZ",
              tags={"purpose": "it"}, virtual_network="vnet", virtual_network_gateway="gw")
SUBNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet"


def vnet(prefixes, *subnets):
    return {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet", "name": "vnet",
            "tags": {}, "properties": {"addressSpace": {"addressPrefixes": list(prefixes)}, "subnets": [
                {"name": name, "properties": properties} for name, properties in subnets]}}


def test_a_new_vnet_is_tagged_and_has_the_gateway_subnet():
    body = azure_network.wanted_vnet(None, PARAMS, "eastus")
    assert body["tags"] == {"purpose": "it", "created-by": "crosscloud.interconnect"}
    assert body["properties"]["addressSpace"]["addressPrefixes"] == ["10.70.0.0/16"]
    assert body["properties"]["subnets"] == [{"name": "GatewaySubnet", "properties": {"addressPrefix": "10.70.255.0/27"}}]


def test_an_existing_vnet_gets_what_it_lacks_and_keeps_everything_else():
    current = vnet(["10.60.0.0/16"], ("work", {"addressPrefix": "10.60.1.0/24"}))
    body = azure_network.wanted_vnet(current, PARAMS, "eastus")
    assert body["tags"] == {}   # never tagged: not ours
    assert body["properties"]["addressSpace"]["addressPrefixes"] == ["10.60.0.0/16", "10.70.0.0/16"]
    assert [subnet["name"] for subnet in body["properties"]["subnets"]] == ["work", "GatewaySubnet"]
    assert current["properties"]["addressSpace"]["addressPrefixes"] == ["10.60.0.0/16"]   # not modified


def test_a_vnet_as_asked_needs_no_write():
    current = vnet(["10.70.0.0/16"], ("GatewaySubnet", {"addressPrefix": "10.70.255.0/27"}))
    assert azure_network.wanted_vnet(current, PARAMS, "eastus") is None


def test_existing_azure_resources_that_cannot_become_the_asked_ones():
    current = vnet(["10.70.0.0/16"], ("GatewaySubnet", {"addressPrefix": "10.70.254.0/27",
                                                        "ipConfigurations": [{"id": "x"}]}))
    pip = {"id": "/p/pip", "name": "pip", "sku": {"name": "Basic"},
           "properties": {"ipConfiguration": {"id": "/other/ipConfigurations/default"}}}
    gateway = {"id": "/g/gw", "name": "gw", "properties": {
        "gatewayType": "Vpn", "sku": {"name": "VpnGw1"},
        "ipConfigurations": [{"properties": {"subnet": {"id": "/elsewhere/subnets/GatewaySubnet"}}}]}}
    problems = azure_network.existing_problems(PARAMS, current, pip, gateway, SUBNET_ID, "/p/pip")
    assert len(problems) == 5
    assert "10.70.254.0/27, not gateway_subnet_prefix 10.70.255.0/27, and holds a gateway" in problems[0]
    assert "public IP address pip is of the Basic SKU" in problems[1]
    assert "public IP address pip is in use by /other/ipConfigurations/default" in problems[2]
    assert "virtual network gateway gw is a Vpn gateway (SKU VpnGw1)" in problems[3]
    assert "is in subnet /elsewhere/subnets/GatewaySubnet" in problems[4]


def test_existing_oci_vcn_that_cannot_become_the_asked_one():
    params = dict(vcn_name="vcn", drg_name="drg", cidr_blocks=["10.80.0.0/16"], dns_label="other")
    vcn = {"id": "ocid1.vcn.x", "cidr_blocks": ["10.81.0.0/16"], "dns_label": "vcn"}
    problems = oci_network.vcn_problems(params, vcn, {"drg_id": "ocid1.drg.other"}, {"id": "ocid1.drg.ours"})
    assert problems == [
        "VCN vcn has the CIDR blocks 10.81.0.0/16, not cidr_blocks 10.80.0.0/16; the module does not change an "
        "existing VCN's blocks",
        "VCN vcn has the DNS label vcn, not dns_label other; OCI cannot change a VCN's DNS label",
        "VCN vcn is attached to DRG ocid1.drg.other, not to drg; a VCN has one DRG attachment"]
    assert oci_network.vcn_problems(dict(params, dns_label=None, cidr_blocks=["10.81.0.0/16"]), vcn,
                                    {"drg_id": "ocid1.drg.ours"}, {"id": "ocid1.drg.ours"}) == []
