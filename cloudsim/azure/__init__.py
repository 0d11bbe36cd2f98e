"""The simulated Azure: Entra ID token endpoint, cloud metadata and Resource Manager."""
from cloudsim.azure.cloud import AzureCloud

__all__ = ["AzureCloud"]
