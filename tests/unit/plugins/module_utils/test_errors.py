"""Both clouds fail through one error type, with the same result keys."""
from azure.core.exceptions import HttpResponseError

from ansible_collections.crosscloud.interconnect.plugins.module_utils import azure as az
from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import InterconnectError
from ansible_collections.crosscloud.interconnect.plugins.module_utils.oci import error_result
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_azure import FakeResponse
from ansible_collections.crosscloud.interconnect.tests.unit.plugins.module_utils.test_oci import service_error

SHARED_KEYS = {"status_code", "error_code", "request_id"}


def test_a_refusal_of_either_cloud_carries_the_same_keys():
    azure = az.AzureApi.error_from(HttpResponseError(response=FakeResponse(
        409, {"error": {"code": "Conflict", "message": "busy"}}, {"x-ms-request-id": "az-1"})), "update it")
    oci = InterconnectError(**error_result("update it", service_error(409, "Conflict", request_id="oci-1")))
    for error, request_id in ((azure, "az-1"), (oci, "oci-1")):
        assert SHARED_KEYS <= set(error.details)
        assert (error.details["status_code"], error.details["error_code"], error.details["request_id"]) == (
            409, "Conflict", request_id)
        assert error.msg.startswith("Failed to update it: ")


def test_a_module_fails_once_with_the_message_and_the_details():
    failed = []
    module = az.AzureInterconnectModule.__new__(az.AzureInterconnectModule)
    module.fail_json = lambda **result: failed.append(result)
    module.fail_json_error(InterconnectError("Failed to read it: gone", status_code=404, states=["a"]))
    assert failed == [{"msg": "Failed to read it: gone", "status_code": 404, "states": ["a"]}]
