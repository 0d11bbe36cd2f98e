"""The OCI half of cloudsim: OCI Core (/20160918) with API-key signature checks."""
from .cloud import OciCloud

__all__ = ["OciCloud"]
