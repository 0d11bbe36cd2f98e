"""cloudsim: a stateful HTTPS simulator of the Azure Resource Manager / Entra ID and OCI Core APIs
that the crosscloud.interconnect collection uses. Run it with ``python -m cloudsim``; embed it
with :func:`cloudsim.server.start`."""
