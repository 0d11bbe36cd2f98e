"""The names Azure Resource Manager refuses, and the answers it refuses them with.

The rules (length, characters) come from Microsoft's "Naming rules and restrictions for Azure
resources" (:data:`NAME_RULES_PAGE`, sections Microsoft.Network and Microsoft.Resources); the
answers are the ones recorded from real Azure, each source named where the answer is built. The
engine checks every PUT's name, the resource's own from the URL and each embedded child's from
its parent's body (subnets, security rules); resource group names are checked on every request.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional
from urllib.parse import urlsplit

from cloudsim.azure.errors import ArmError, bad_request
from cloudsim.http import HttpError, Request, Response

NAME_RULES_PAGE = ("https://learn.microsoft.com/azure/azure-resource-manager/management/"
                   "resource-name-rules")

# "Alphanumerics, underscores, periods, and hyphens. Start with alphanumeric. End with
# alphanumeric or underscore." - where the page defines alphanumeric as a-z, A-Z and 0-9. (The
# refusal speaks of "word characters", which a .NET regex would widen to '_' and to letters of
# any script; no recording shows either accepted, so the documented rule stands.)
ALPHANUMERIC_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")


def utf16_length(text: str) -> int:
    """A name's length as .NET counts it (UTF-16 code units), the way ARM measures names."""
    return len(text.encode("utf-16-le")) // 2


def invalid_resource_name(name: str) -> ArmError:
    """The Network resource provider's answer to a name outside its rule. Word for word as
    recorded in rh-mobb/documentation#204 (az CLI, name "Allow Egress"), in the message
    hashicorp/terraform-provider-azurerm quotes in ValidatePrivateLinkEndpointName ("foo^*") and
    in a terraform transcript for an embedded ipConfiguration name ("StatusCode=400 -- Original
    Error: Code="InvalidResourceName"")."""
    return bad_request("InvalidResourceName",
                       "Resource name %s is invalid. The name can be up to 80 characters long. It "
                       "must begin with a word character, and it must end with a word character "
                       "or with '_'. The name may contain word characters or '.', '-', '_'."
                       % name)


def invalid_virtual_network_site(name: str) -> ArmError:
    """A virtual network name of the wrong length, as recorded: "1" in
    microsoft/vscode-azurevirtualmachines#153, 69 characters in #81, 82 characters (this answer,
    not InvalidResourceName) in Azure/Azure-Landing-Zones#1154. The status is the 400 of the
    other Netcfg* validation answers."""
    return bad_request("NetcfgInvalidVirtualNetworkSite",
                       "Virtual network site is not valid as specified with the name '%s'." % name)


@dataclass(frozen=True)
class NameRule:
    """Length (inclusive) and the documented characters of one resource type's names."""
    min_length: int
    max_length: int
    length_refusal: Optional[Callable[[str], ArmError]] = None   # None: InvalidResourceName

    def check(self, name: str) -> None:
        fits = self.min_length <= utf16_length(name) <= self.max_length
        if not fits and self.length_refusal is not None:
            raise self.length_refusal(name)
        if not fits or not ALPHANUMERIC_NAME.fullmatch(name):
            raise invalid_resource_name(name)


# The rows of NAME_RULES_PAGE#microsoftnetwork for the types this simulator serves. Not listed:
# expressRouteCircuits/peerings, whose only names are the peering types (AzurePrivatePeering,
# AzurePublicPeering, MicrosoftPeering; ResourceType.fixed_names answers any other as not found).
NETWORK_NAME = NameRule(1, 80)
NAME_RULES: Dict[str, NameRule] = {
    "Microsoft.Network/connections": NETWORK_NAME,
    "Microsoft.Network/expressRouteCircuits": NETWORK_NAME,
    "Microsoft.Network/networkSecurityGroups": NETWORK_NAME,
    "Microsoft.Network/networkSecurityGroups/securityRules": NETWORK_NAME,
    "Microsoft.Network/virtualNetworkGateways": NETWORK_NAME,
    "Microsoft.Network/virtualNetworks": NameRule(2, 64, invalid_virtual_network_site),
    "Microsoft.Network/virtualNetworks/subnets": NETWORK_NAME,
}


def check_resource_name(arm_type: str, name: str) -> None:
    """Raise the ARM answer when ``name`` breaks the rule of ``arm_type`` (canonical spelling)."""
    rule = NAME_RULES.get(arm_type)
    if rule is not None:
        rule.check(name)


# ---- resource groups (NAME_RULES_PAGE#microsoftresources) ----------------------------------------

GROUP_MAX_LENGTH = 90
GROUP_PUNCTUATION = "-_.()"
# "letters or digits as defined by the Char.IsLetterOrDigit function": these Unicode categories.
LETTER_OR_DIGIT = ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


def _group_character(char: str) -> bool:
    # .NET sees a character beyond U+FFFF as two surrogates, neither of them a letter or digit.
    return char in GROUP_PUNCTUATION or (
        ord(char) <= 0xFFFF and unicodedata.category(char) in LETTER_OR_DIGIT)


def check_group_name(name: str) -> None:
    """Raise ARM's answer to a resource group name outside the rule (1-90 characters, letters and
    digits of any script and ``-_.()``, not ending with a period)."""
    invalid = "".join(char for char in name if not _group_character(char))
    if invalid:
        # Azure/azure-cli#14481 (2022, for `az group show -g '""'`: a GET is refused too) and
        # microsoft/microsoft-foundry-for-vscode#53 ("'Create new resource group' has these
        # invalid characters: '   '": every offending character, repeats included).
        raise bad_request("InvalidResourceGroup",
                          "The provided resource group name '%s' has these invalid characters: "
                          "'%s'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'."
                          % (name, invalid))
    if name.endswith("."):
        # microsoft/vscode-azureappservice#1294 (a new web app's resource group
        # "mobileshop.cloud.").
        raise bad_request("InvalidResourceNameTrailingCharacters",
                          "The provided resource name '%s' has these invalid trailing characters: "
                          "'%s'. The name can not end with characters: '. '."
                          % (name, name[len(name.rstrip(". ")):]))
    if utf16_length(name) > GROUP_MAX_LENGTH:
        # The documented limit; no recording of ARM's answer was found, so these words are the
        # simulator's own (the code is the one ARM uses for the group's other name errors).
        raise bad_request("InvalidResourceGroup",
                          "The provided resource group name '%s' is %d characters long; it can be "
                          "at most %d." % (name, utf16_length(name), GROUP_MAX_LENGTH))


# ---- a name holding '/' ----------------------------------------------------------------------

# ARM's resource type segments are alphanumeric (ARM RPC rules, as Azure/azure-openapi-validator#285
# quotes them).
TYPE_SEGMENT = re.compile(r"[A-Za-z0-9]+")


def check_split_name(request: Request, rest: List[str]) -> None:
    """``rest`` is [name, segment, ...] below a resource type, where ``segment`` names no child
    type of it. That is how a name holding '/' arrives: clients send it as %2F and ARM, like this
    server, decodes the path before splitting it, so the name's parts become path segments.

    Raises ARM's answers as recorded: a segment in a type's place that is not alphanumeric is
    400 InvalidResourceTypeNameFormat (pulumi/pulumi-azure-native#1968, database name
    "ad383e43/adt-data"); one last segment past the name is passed on to the resource provider,
    which answers 404 with a bare ASP.NET body (hashicorp/terraform-provider-azurerm#6053, route
    "10.255.16.24/32", and #6055, security rule "80/TCP": {"Message": "No HTTP resource was
    found that matches the request URI '...'."}, the URI being the provider's own).
    """
    if not TYPE_SEGMENT.fullmatch(rest[1]):
        raise bad_request("InvalidResourceTypeNameFormat",
                          "At least one resource type segment is invalid according to the "
                          "Resource Provider specification.")
    if len(rest) == 2:
        query = urlsplit(request.target).query
        raise HttpError(Response(404, {
            "Message": "No HTTP resource was found that matches the request URI '%s%s%s'."
                       % (request.base_url, request.path, "?" + query if query else "")}))
