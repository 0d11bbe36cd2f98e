# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provider-neutral helpers: certificate errors, CIDRs, bandwidths."""

import gc
import ssl
import threading

import oci
import pytest
from azure.core.exceptions import ServiceRequestError
from oci._vendor.requests.exceptions import ConnectionError as OCIRequestsConnectionError
from oci._vendor.requests.exceptions import SSLError as OCIRequestsSSLError
from requests.exceptions import SSLError as RequestsSSLError

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    at_once,
    import_for_the_process,
    bandwidth_mbps,
    is_certificate_error,
    normalize_cidr,
)


# -- certificate errors ----------------------------------------------------------------------------

def raised(make):
    """The exception ``make()`` raises (so __context__/__cause__ are set as in real code)."""
    try:
        make()
    except Exception as error:  # pylint: disable=broad-except
        return error
    raise AssertionError("nothing raised")


OPENSSL_REASON = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"


def verification_failure(message="certificate verify failed: self-signed certificate"):
    return ssl.SSLCertVerificationError(1, message)


def raised_wrapping(inner, wrap):
    """The exception ``wrap(inner)`` raised while handling ``inner``, as the SDKs raise theirs."""
    def make():
        try:
            raise inner
        except Exception as error:
            raise wrap(error)
    return raised(make)


def azure_wrapped(inner):
    """As azure-core's RequestsTransport reports it: ServiceRequestError(error=...)."""
    return raised_wrapping(inner, lambda error: ServiceRequestError("HTTPSConnectionPool: Max retries exceeded",
                                                                    error=error))


def oci_wrapped(inner):
    """As the OCI SDK's base client reports it: RequestException(e)."""
    return raised_wrapping(inner, oci.exceptions.RequestException)


def chained_from(inner):
    """``raise RuntimeError(...) from inner``."""
    def make():
        try:
            raise inner
        except Exception as error:
            raise RuntimeError("wrapped") from error
    return raised(make)


@pytest.mark.parametrize("error", [
    pytest.param(azure_wrapped(verification_failure()), id="azure: SSLCertVerificationError as inner_exception"),
    pytest.param(azure_wrapped(RequestsSSLError(verification_failure())), id="azure: requests' SSLError around it"),
    pytest.param(ServiceRequestError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                 id="azure: OpenSSL's reason in the message"),
    pytest.param(oci_wrapped(OCIRequestsSSLError(verification_failure())), id="oci: SSLError argument"),
    pytest.param(oci.exceptions.RequestException(OCIRequestsSSLError(OPENSSL_REASON)),
                 id="oci: OpenSSL's reason in the message, nothing chained"),
    pytest.param(chained_from(verification_failure("")), id="raise from, no telling message"),
])
def test_certificate_failures_are_recognised_however_the_sdk_wraps_them(error):
    assert is_certificate_error(error)


@pytest.mark.parametrize("error", [
    pytest.param(azure_wrapped(ConnectionRefusedError("Connection refused")), id="azure: refused"),
    pytest.param(oci_wrapped(OCIRequestsConnectionError("reset by peer")), id="oci: reset"),
    pytest.param(ValueError("bad"), id="plain"),
    # A TLS failure other than verification may pass: it is retried, not reported as a CA problem.
    pytest.param(azure_wrapped(RequestsSSLError("EOF occurred in violation of protocol")), id="azure: handshake cut"),
    pytest.param(oci.exceptions.RequestException(OCIRequestsSSLError("handshake refused")), id="oci: handshake refused"),
    pytest.param(None, id="nothing"),
])
def test_other_failures_are_not_certificate_errors(error):
    assert not is_certificate_error(error)


def test_a_cycle_of_wrapped_errors_ends():
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__context__, second.__context__ = second, first
    assert not is_certificate_error(first)


# -- CIDRs -----------------------------------------------------------------------------------------

def test_a_cidr_is_given_in_its_canonical_network_form():
    assert normalize_cidr(" 10.20.0.0/16 ") == "10.20.0.0/16"
    assert normalize_cidr("fd00:0:0::/48") == "fd00::/48"


def test_a_cidr_with_host_bits_is_refused_in_the_callers_words():
    with pytest.raises(ValueError, match=r"^CIDR '10.1.0.1/16' is not a valid network \(.*has host bits set\)$"):
        normalize_cidr("10.1.0.1/16")
    with pytest.raises(ValueError, match=r"^cidrs: 'fast' is not a network CIDR \("):
        normalize_cidr("fast", "cidrs: %r is not a network CIDR (%s)")


# -- bandwidths ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, mbps", [
    ("1 Gbps", 1000), ("10Gbps", 10000), ("2 gbps", 2000), (" 5 Gbps ", 5000), ("500 Mbps", 500), ("50 M", 50),
    ("1 Gb/s", 1000), ("1", 1000), (1, 1000), (10, 10000), (0.5, 500), ("1.5 Gbps", 1500),
])
def test_a_bandwidth_is_read_from_a_shape_name_or_a_number_of_gbps(value, mbps):
    assert bandwidth_mbps(value) == mbps


@pytest.mark.parametrize("value", ["fast", "1 Tbps", "", "-1 Gbps", 0, True, "0.0001 Gbps", "0.5Mbps"])
def test_a_bandwidth_that_is_no_whole_positive_mbps_is_refused(value):
    with pytest.raises(ValueError, match="bandwidth"):
        bandwidth_mbps(value)


@pytest.mark.parametrize("value, mbps", [("1Gbps", 1000), ("10 Gbps", 10000), ("500Mbps", 500), ("50 M", 50),
                                         ("2 Gb/s", 2000)])
def test_a_bandwidth_with_its_unit_is_read_when_the_unit_is_required(value, mbps):
    assert bandwidth_mbps(value, unit_required=True) == mbps


@pytest.mark.parametrize("value", ["1000", 1, 0.5, "1bps", "1 Tbps", "0Gbps", "0.5Mbps", ""])
def test_a_bandwidth_without_its_unit_is_refused_when_the_unit_is_required(value):
    with pytest.raises(ValueError, match="bandwidth"):
        bandwidth_mbps(value, unit_required=True)


# -- reads at once ---------------------------------------------------------------------------------

def test_reads_at_once_overlap_and_give_results_and_errors_in_their_order():
    # Three reads that each wait for the other two: run one after another, they would break the barrier.
    everyone_started = threading.Barrier(3, timeout=5)

    def read(value):
        everyone_started.wait()
        if isinstance(value, Exception):
            raise value
        return value

    outcomes = at_once([lambda: read("vcn"), lambda: read(ValueError("route tables")), lambda: read("security lists")])
    assert outcomes[0]() == "vcn" and outcomes[2]() == "security lists"
    with pytest.raises(ValueError, match="route tables"):
        outcomes[1]()


def test_a_single_read_runs_on_the_callers_thread_when_asked_for():
    threads = []
    outcome, = at_once([lambda: threads.append(threading.current_thread())])
    assert threads == []  # not run yet: the caller runs it
    outcome()
    assert threads == [threading.current_thread()]


def test_an_sdk_import_runs_once_with_the_collector_paused_and_what_it_made_frozen():
    paused_during_import = []

    def importer():
        paused_during_import.append(not gc.isenabled())
        return {"models": [[] for dummy in range(1000)]}  # containers the collector tracks

    frozen_before = gc.get_freeze_count()
    try:
        imported = import_for_the_process(importer)
        assert paused_during_import == [True]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + 1000
        assert import_for_the_process(importer) is imported and paused_during_import == [True]  # once a process
    finally:
        gc.unfreeze()


def test_a_failed_sdk_import_leaves_the_collector_on_and_is_tried_again():
    attempts = []

    def importer():
        attempts.append(1)
        raise ImportError("No module named 'oci'")

    try:
        for dummy in range(2):
            with pytest.raises(ImportError, match="oci"):
                import_for_the_process(importer)
            assert gc.isenabled()
        assert len(attempts) == 2
    finally:
        gc.unfreeze()
