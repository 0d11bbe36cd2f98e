# -*- coding: utf-8 -*-
# Copyright (c) 2026 crosscloud.interconnect contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time the address-plan check: one interconnect, and the /29s of a 10 000-interconnect inventory.

Run ``python bench/plan_bench.py`` from the repository root (``make bench`` does). Prints figures
with their target (OK or OVER); nothing here asserts on time.
"""

import atexit
import importlib
import os
import random
import shutil
import sys
import tempfile
import timeit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN_MODULE = "ansible_collections.crosscloud.interconnect.plugins.module_utils.plan"
# "Well under 1 s" for the /29s of a 10 000-interconnect inventory, read as half a second at most.
TARGET_INVENTORY_SECONDS = 0.5

# A busy single interconnect: 16 VNet and 16 VCN CIDRs, so the overlap sweep has work to do.
SINGLE_PLAN = {
    "azure_vnet_cidrs": ["10.%d.0.0/16" % second for second in range(10, 26)],
    "oci_vcn_cidrs": ["10.%d.0.0/16" % second for second in range(30, 46)],
    "bgp_cidr": "10.255.0.0/29", "gateway_subnet_cidr": "10.10.255.0/27", "bandwidth_gbps": 10,
    "azure_region": "eastus", "oci_region": "us-ashburn-1", "peering_location": "Washington DC",
}


def load_plan_module():
    """plan.py as the collection's modules import it (it imports other module_utils of the collection):
    through a temporary ``ansible_collections/crosscloud/interconnect`` link to this checkout."""
    try:
        return importlib.import_module(PLAN_MODULE)
    except ImportError:
        pass
    directory = tempfile.mkdtemp(prefix="interconnect-collection-")
    atexit.register(shutil.rmtree, directory, True)
    os.makedirs(os.path.join(directory, "ansible_collections", "crosscloud"))
    os.symlink(REPO, os.path.join(directory, "ansible_collections", "crosscloud", "interconnect"))
    sys.path.insert(0, directory)
    importlib.invalidate_caches()
    return importlib.import_module(PLAN_MODULE)


def inventory_bgp_cidrs(count, seed=0):
    """``count`` distinct /29s by interconnect name, in random order, like a large inventory."""
    names = ["ic-%05d" % index for index in range(count)]
    cidrs = ["10.%d.%d.%d/29" % (index >> 13, (index >> 5) & 0xFF, (index & 0x1F) * 8) for index in range(count)]
    random.Random(seed).shuffle(cidrs)
    return dict(zip(names, cidrs))


def best_seconds(function, repeat, number=1):
    """Best per-call time of ``repeat`` rounds of ``number`` calls (the least disturbed round)."""
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number


def run(count=10000):
    plan = load_plan_module()
    inventory = inventory_bgp_cidrs(count)
    return {
        "inventory": best_seconds(lambda: plan.check_inventory_bgp_cidrs(inventory), repeat=5),
        "single": best_seconds(lambda: plan.check_plan(**SINGLE_PLAN), repeat=5, number=200),
        "count": count,
    }


def main():
    figures = run()
    print("plan check, inventory of %d /29s: %.1f ms (target well under 1 s: < %d ms) %s" % (
        figures["count"], figures["inventory"] * 1000, TARGET_INVENTORY_SECONDS * 1000,
        "OK" if figures["inventory"] < TARGET_INVENTORY_SECONDS else "OVER"))
    print("plan check, single interconnect: %.3f ms" % (figures["single"] * 1000))


if __name__ == "__main__":
    main()
