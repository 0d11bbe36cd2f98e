# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared waiter: what it reads, how long it sleeps, what it reports."""

import ssl

import oci
import pytest
from azure.core.exceptions import ServiceRequestError
from oci._vendor.requests.exceptions import ConnectionError as OCIRequestsConnectionError
from oci._vendor.requests.exceptions import SSLError as OCIRequestsSSLError
from requests.exceptions import SSLError as RequestsSSLError

from ansible_collections.crosscloud.interconnect.plugins.module_utils.common import (
    WaitFailed,
    WaitTimeout,
    is_certificate_error,
    wait_until,
)


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def reader(values):
    calls = []

    def read():
        calls.append(1)
        return values[min(len(calls), len(values)) - 1]
    return read, calls


def test_waits_at_the_interval_and_records_each_new_state():
    time = FakeTime()
    read, calls = reader(["Provisioning", "Provisioning", "Provisioned"])
    value, history = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, interval=1.0,
                                sleep=time.sleep, clock=time.clock)
    assert value == "Provisioned" and len(calls) == 3
    assert history == [{"state": "Provisioning", "after_seconds": 0.0}, {"state": "Provisioned", "after_seconds": 2.0}]


def test_a_value_already_read_costs_no_call_when_it_is_done():
    read, calls = reader(["never read"])
    value, history = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, first="Provisioned",
                                sleep=FakeTime().sleep)
    assert value == "Provisioned" and calls == [] and history[0]["state"] == "Provisioned"


def test_a_value_already_read_is_judged_first_then_polling_goes_on():
    time = FakeTime()
    read, calls = reader(["Provisioned"])
    value = wait_until(read, str, lambda v: v == "Provisioned", "circuit", 60, first="Provisioning",
                       sleep=time.sleep, clock=time.clock)[0]
    assert value == "Provisioned" and len(calls) == 1


def test_timeout_and_dead_end_carry_the_history():
    time = FakeTime()
    read = reader(["Provisioning"])[0]
    with pytest.raises(WaitTimeout) as timed_out:
        wait_until(read, str, lambda v: False, "circuit", 3, interval=1.0, sleep=time.sleep, clock=time.clock)
    assert timed_out.value.last == "Provisioning" and time.now == 3.0
    with pytest.raises(WaitFailed) as failed:
        wait_until(reader(["FAILED"])[0], str, lambda v: False, "circuit", 3, is_failed=lambda v: v == "FAILED",
                   sleep=time.sleep, clock=time.clock)
    assert failed.value.history == [{"state": "FAILED", "after_seconds": 0.0}]


# -- certificate errors ----------------------------------------------------------------------------

def raised(make):
    """The exception ``make()`` raises (so __context__/__cause__ are set as in real code)."""
    try:
        make()
    except Exception as error:  # pylint: disable=broad-except
        return error
    raise AssertionError("nothing raised")


def verification_failure(message="certificate verify failed: self-signed certificate"):
    return ssl.SSLCertVerificationError(1, message)


def azure_wrapped(inner):
    """As azure-core's RequestsTransport reports it: ServiceRequestError(error=...) raised in the except."""
    def make():
        try:
            raise inner
        except Exception as error:
            raise ServiceRequestError("HTTPSConnectionPool: Max retries exceeded", error=error)
    return raised(make)


def oci_wrapped(inner):
    """As the OCI SDK's base client reports it: RequestException(e) raised in the except."""
    def make():
        try:
            raise inner
        except Exception as error:
            raise oci.exceptions.RequestException(error)
    return raised(make)


def chained_from(inner):
    def make():
        try:
            raise inner
        except Exception as error:
            raise RuntimeError("wrapped") from error
    return raised(make)


@pytest.mark.parametrize("error", [
    pytest.param(azure_wrapped(verification_failure()), id="azure: SSLCertVerificationError as inner_exception"),
    pytest.param(azure_wrapped(RequestsSSLError("handshake refused")), id="azure: an SSLError by name"),
    pytest.param(ServiceRequestError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
                 id="azure: OpenSSL's reason in the message"),
    pytest.param(oci_wrapped(OCIRequestsSSLError(verification_failure())), id="oci: SSLError argument"),
    pytest.param(oci.exceptions.RequestException(OCIRequestsSSLError("handshake refused")),
                 id="oci: an SSLError argument by name, nothing chained"),
    pytest.param(chained_from(verification_failure("")), id="raise from, no telling message"),
])
def test_certificate_failures_are_recognised_however_the_sdk_wraps_them(error):
    assert is_certificate_error(error)


@pytest.mark.parametrize("error", [
    pytest.param(azure_wrapped(ConnectionRefusedError("Connection refused")), id="azure: refused"),
    pytest.param(oci_wrapped(OCIRequestsConnectionError("reset by peer")), id="oci: reset"),
    pytest.param(ValueError("bad"), id="plain"),
    pytest.param(None, id="nothing"),
])
def test_other_failures_are_not_certificate_errors(error):
    assert not is_certificate_error(error)


def test_a_cycle_of_wrapped_errors_ends():
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__context__, second.__context__ = second, first
    assert not is_certificate_error(first)
