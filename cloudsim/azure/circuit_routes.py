"""What an ExpressRoute circuit's routers report about a peering: the routes table, its summary,
the ARP table, and the byte counters.

The calls and their shapes are azure-mgmt-network's (``ExpressRouteCircuitsOperations``
``begin_list_routes_table``, ``begin_list_routes_table_summary``, ``begin_list_arp_table``: POST
``.../peerings/{peeringName}/routeTables|routeTablesSummary|arpTables/{devicePath}`` answered as a
long-running operation whose final result is an ``ExpressRouteCircuitsRoutesTableListResult``,
``...RoutesTableSummaryListResult`` or ``...ArpTableListResult``; ``get_stats`` and
``get_peering_stats``: GET ``.../stats`` giving ``ExpressRouteCircuitStats``). The values follow
Microsoft's "Verify ExpressRoute connectivity" troubleshooting article (Get-AzExpressRouteCircuit
RouteTable / RouteTableSummary / ARPTable sample output) and the ``az network express-route
list-route-tables(-summary)`` transcripts in "CLI-based analysis of an ExpressRoute private
peering" (blog.cloudtrooper.net, 2021): a route learned from the peer carries
the peer's address as next hop and the peer's AS path; the summary names the neighbor, its AS,
and in ``statePfxRcd`` the count of prefixes received while the session is up, else the BGP
state; the ARP table lists the "On-Prem" and "Microsoft" ends of the /30.

cloudsim simplifications: a table holds only the routes learned from the provider (not the
virtual network routes Azure's own gateways add), ``upDown`` is not tracked (None), and no
traffic is simulated (the byte counters stay 0).
"""
from __future__ import annotations

import hashlib
import ipaddress
from typing import Any, Dict, List, Optional

from cloudsim.azure.errors import bad_request

DEVICE_PATHS = ("primary", "secondary")


def device_path(value: str) -> str:
    """``primary`` or ``secondary`` (any case): the MSEE router the table is read from."""
    if value.lower() not in DEVICE_PATHS:
        raise bad_request("InvalidDevicePath",
                          "Device path %s is not valid; use primary or secondary (cloudsim's own "
                          "wording: no recorded Azure answer)." % value)
    return value.lower()


def peer_addresses(peering: Dict[str, Any], device: str) -> List[str]:
    """(peer address, Microsoft's address) of the device's /30: the first usable address is
    the peer's, the second Microsoft's (Microsoft's "ExpressRoute routing requirements")."""
    prefix = peering["%sPeerAddressPrefix" % device]
    return [str(host) for host in ipaddress.ip_network(prefix).hosts()][:2]


def routes_table(peering: Dict[str, Any], device: str, prefixes: List[str]) -> Dict[str, Any]:
    peer, _microsoft = peer_addresses(peering, device)
    path = str(peering["peerASN"])
    return {"value": [{"network": prefix, "nextHop": peer, "locPrf": "", "weight": 0, "path": path}
                      for prefix in prefixes], "nextLink": None}


def routes_table_summary(peering: Dict[str, Any], device: str,
                         prefixes: Optional[List[str]]) -> Dict[str, Any]:
    """``prefixes`` None: the session is down (``statePfxRcd`` is then the BGP state, Idle)."""
    peer, _microsoft = peer_addresses(peering, device)
    return {"value": [{"neighbor": peer, "v": 4, "as": peering["peerASN"], "upDown": None,
                       "statePfxRcd": "Idle" if prefixes is None else str(len(prefixes))}],
            "nextLink": None}


def arp_table(peering: Dict[str, Any], device: str, link_up: bool) -> Dict[str, Any]:
    if not link_up:
        return {"value": [], "nextLink": None}
    entries = zip(("On-Prem", "Microsoft"), peer_addresses(peering, device))
    return {"value": [{"age": 0, "interface": interface, "ipAddress": address,
                       "macAddress": mac_address(address)} for interface, address in entries],
            "nextLink": None}


def mac_address(address: str) -> str:
    """A stable made-up MAC per address, in the Cisco dotted form the samples show."""
    digest = hashlib.sha256(address.encode()).hexdigest()[:12]
    return ".".join(digest[index:index + 4] for index in (0, 4, 8))


NO_TRAFFIC = {"primarybytesIn": 0, "primarybytesOut": 0, "secondarybytesIn": 0,
              "secondarybytesOut": 0}
