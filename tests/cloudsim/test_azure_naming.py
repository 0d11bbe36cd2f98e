"""ARM's naming rules through the real azure-mgmt-network client (raw HTTPS for resource groups,
which that client does not manage): each rule refused with the recorded answer, edge cases
accepted. Sources: cloudsim/azure/naming.py and cloudsim/README.md."""
from urllib.parse import quote

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

LOCATION = "japaneast"
NSG = {"location": LOCATION}


def invalid_resource_name(name):
    return ("Resource name %s is invalid. The name can be up to 80 characters long. It must begin "
            "with a word character, and it must end with a word character or with '_'. The name "
            "may contain word characters or '.', '-', '_'." % name)


def refusal(call):
    """(status, code, message) of the error ``call`` raises."""
    with pytest.raises(HttpResponseError) as raised:
        call()
    return raised.value.status_code, raised.value.error.code, raised.value.error.message


def put_nsg(azure_network, resource_group, name, body=None):
    return azure_network.network_security_groups.begin_create_or_update(
        resource_group, name, body or NSG).result()


def vnet_body(*subnets, space="10.10.0.0/16"):
    return {"location": LOCATION, "properties": {
        "addressSpace": {"addressPrefixes": [space]},
        "subnets": [{"name": name, "properties": {"addressPrefix": prefix}}
                    for name, prefix in subnets]}}


def rule_body():
    return {"properties": rule("x")["properties"]}


def rule(name, priority=100):
    return {"name": name, "properties": {
        "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": priority,
        "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": "*",
        "destinationAddressPrefix": "*"}}


def nsg_names(azure_network, resource_group):
    return [nsg.name for nsg in azure_network.network_security_groups.list(resource_group)]


# ---- Microsoft.Network: 1-80 alphanumerics, '_', '.', '-'; alphanumeric first, '_' or
# alphanumeric last -----------------------------------------------------------------------------

@pytest.mark.parametrize("operations", ["express_route_circuits",
                                        "virtual_network_gateway_connections",
                                        "network_security_groups", "virtual_network_gateways"])
def test_a_name_over_80_characters_is_refused_for_every_type(azure_network, resource_group,
                                                             operations):
    name = "n" * 81
    answer = refusal(lambda: getattr(azure_network, operations).begin_create_or_update(
        resource_group, name, {"location": LOCATION}).result())
    assert answer == (400, "InvalidResourceName", invalid_resource_name(name))


@pytest.mark.parametrize("name", ["nsg one", "日本", "['x']", "nsg:1", "nsg#1", "nsg\u00e9"])
def test_characters_outside_the_rule_are_refused(azure_network, resource_group, name):
    answer = refusal(lambda: put_nsg(azure_network, resource_group, name))
    assert answer == (400, "InvalidResourceName", invalid_resource_name(name))
    assert nsg_names(azure_network, resource_group) == []


@pytest.mark.parametrize("name", ["-nsg", ".nsg", "_nsg", "nsg-", "nsg."])
def test_first_and_last_characters_are_checked(azure_network, resource_group, name):
    assert refusal(lambda: put_nsg(azure_network, resource_group, name))[1] == \
        "InvalidResourceName"


@pytest.mark.parametrize("name", ["a", "7", "n" * 80, "nsg_", "a.b-c_d", "NSG_Prod.01-x_"])
def test_names_inside_the_rule_are_accepted(azure_network, resource_group, name):
    assert put_nsg(azure_network, resource_group, name).name == name
    assert azure_network.network_security_groups.get(resource_group, name).name == name


def test_an_empty_name_addresses_the_collection_which_takes_no_put(azure_network,
                                                                   resource_group):
    with pytest.raises(HttpResponseError) as raised:
        put_nsg(azure_network, resource_group, "")
    assert raised.value.status_code == 405
    assert nsg_names(azure_network, resource_group) == []


# ---- virtual networks: 2-64 characters, answered by the network's own validation ---------------

@pytest.mark.parametrize("name", ["v", "v" * 65, "v" * 82])
def test_virtual_network_length_outside_2_to_64_is_an_invalid_site(azure_network,
                                                                   resource_group, name):
    answer = refusal(lambda: azure_network.virtual_networks.begin_create_or_update(
        resource_group, name, vnet_body()).result())
    assert answer == (400, "NetcfgInvalidVirtualNetworkSite",
                      "Virtual network site is not valid as specified with the name '%s'." % name)


def test_virtual_network_names_follow_the_network_rule_otherwise(azure_network, resource_group):
    create = azure_network.virtual_networks.begin_create_or_update
    assert refusal(lambda: create(resource_group, "vnet 1", vnet_body()).result())[1] == \
        "InvalidResourceName"
    for name in ("vn", "v" * 64):
        assert create(resource_group, name, vnet_body()).result().name == name


# ---- embedded children: their names come from the parent's body ----------------------------

def test_a_subnet_name_in_the_network_body_is_checked(azure_network, resource_group):
    body = vnet_body(("GatewaySubnet", "10.10.255.0/27"), ("app subnet", "10.10.1.0/24"))
    answer = refusal(lambda: azure_network.virtual_networks.begin_create_or_update(
        resource_group, "vnet-1", body).result())
    assert answer == (400, "InvalidResourceName", invalid_resource_name("app subnet"))
    assert list(azure_network.virtual_networks.list(resource_group)) == []


def test_security_rule_names_are_checked_embedded_and_on_their_own(azure_network,
                                                                   resource_group):
    body = {"location": LOCATION, "properties": {"securityRules": [rule("Management HTTPS")]}}
    answer = refusal(lambda: put_nsg(azure_network, resource_group, "nsg-1", body))
    assert answer == (400, "InvalidResourceName", invalid_resource_name("Management HTTPS"))
    put_nsg(azure_network, resource_group, "nsg-1")
    answer = refusal(lambda: azure_network.security_rules.begin_create_or_update(
        resource_group, "nsg-1", "allow https", rule_body()).result())
    assert answer == (400, "InvalidResourceName", invalid_resource_name("allow https"))
    created = azure_network.security_rules.begin_create_or_update(
        resource_group, "nsg-1", "Allow_HTTPS.443-in_", rule_body()).result()
    assert created.name == "Allow_HTTPS.443-in_"


def test_fixture_resources_pass_the_same_name_check(running_sim, resource_group):
    bad = {"azure": {"resources": [{
        "path": "resourceGroups/%s/providers/Microsoft.Network/networkSecurityGroups/a b"
                % resource_group, "body": NSG}]}}
    with pytest.raises(ValueError, match="InvalidResourceName"):
        running_sim.sim.load_fixture(bad)


# ---- a name holding '/': sent as %2F, split like any path by ARM ---------------------------

def test_a_slash_makes_the_rest_of_the_name_a_path_segment(azure_network, resource_group, arm):
    with pytest.raises(ResourceNotFoundError) as raised:
        put_nsg(azure_network, resource_group, "nsg/part")
    assert raised.value.response.json()["Message"].startswith(
        "No HTTP resource was found that matches the request URI '%s/subscriptions/"
        % arm.running.url)
    put_nsg(azure_network, resource_group, "nsg")
    with pytest.raises(ResourceNotFoundError):
        azure_network.security_rules.begin_create_or_update(
            resource_group, "nsg", "80/TCP", rule_body()).result()
    answer = refusal(lambda: put_nsg(azure_network, resource_group, "nsg/part-two"))
    assert answer[:2] == (400, "InvalidResourceTypeNameFormat")
    assert nsg_names(azure_network, resource_group) == ["nsg"]
    assert azure_network.network_security_groups.get(resource_group, "nsg").security_rules == []


# ---- resource groups (Microsoft.Resources): 1-90 letters or digits of any script and -_.(),
# not ending with a period ------------------------------------------------------------------------

def group_path(arm, name, below=""):
    return arm.subscription_path("/resourcegroups/%s%s" % (quote(name, safe=""), below))


def put_group(arm, name):
    return arm.request("PUT", group_path(arm, name), json={"location": LOCATION})


def invalid_group_characters(name, characters):
    return {"code": "InvalidResourceGroup",
            "message": "The provided resource group name '%s' has these invalid characters: '%s'. "
                       "The name can only be a letter, digit, '-', '.', '(', ')' or '_'."
                       % (name, characters)}


@pytest.mark.parametrize("name, characters", [
    ("rg one two", "  "), ("rg['x']", "['']"), ("rg\u00a0x", "\u00a0"),
    ("rg\U0001f600", "\U0001f600")])
def test_group_names_with_other_characters_are_refused(arm, name, characters):
    answer = put_group(arm, name)
    assert (answer.status_code, answer.json()["error"]) == \
        (400, invalid_group_characters(name, characters))


def test_group_name_ending_with_a_period_is_refused(arm):
    answer = put_group(arm, "rg-1..")
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": "InvalidResourceNameTrailingCharacters",
        "message": "The provided resource name 'rg-1..' has these invalid trailing characters: "
                   "'..'. The name can not end with characters: '. '."}


def test_group_name_over_90_characters_is_refused(arm):
    answer = put_group(arm, "g" * 91)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "InvalidResourceGroup"
    assert put_group(arm, "g" * 90).status_code == 201


@pytest.mark.parametrize("name", ["r", "rg(1)", "rg_1.a-b", "リソースグループ", "Ärger", "٣rg"])
def test_group_names_inside_the_rule_are_accepted(arm, name):
    assert put_group(arm, name).status_code == 201
    assert arm.request("GET", group_path(arm, name)).json()["name"] == name


def test_an_invalid_group_name_is_refused_on_every_request(arm, azure_network):
    name = "rg one"
    assert arm.request("GET", group_path(arm, name)).json()["error"] == \
        invalid_group_characters(name, " ")
    answer = refusal(lambda: put_nsg(azure_network, name, "nsg"))
    assert answer[:2] == (400, "InvalidResourceGroup")


def test_fixture_groups_pass_the_same_name_check(running_sim):
    with pytest.raises(ValueError, match="InvalidResourceNameTrailingCharacters"):
        running_sim.sim.load_fixture({"azure": {"resourceGroups": {"rg.": {"location": LOCATION}}}})
