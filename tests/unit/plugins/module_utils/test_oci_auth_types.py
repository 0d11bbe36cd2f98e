# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token-based OCI auth types (module_utils/oci.py): what a session profile and a resource principal need,
and what a failure says. Signing itself runs against cloudsim (tests/cloudsim/test_oci_security_tokens.py)."""

import oci
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ansible_collections.crosscloud.interconnect.plugins.module_utils import oci as oci_utils

RESOURCE_PRINCIPAL_VARIABLES = ("OCI_RESOURCE_PRINCIPAL_VERSION", "OCI_RESOURCE_PRINCIPAL_RPST",
                                "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", "OCI_RESOURCE_PRINCIPAL_REGION")


def session_profile(tmp_path, encrypted_with=None, token="header.e30.signature", **overrides):
    """A config file as `oci session authenticate` writes it: no user, a security_token_file and the session key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = serialization.BestAvailableEncryption(encrypted_with.encode()) if encrypted_with else \
        serialization.NoEncryption()
    (tmp_path / "session_key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                                 serialization.PrivateFormat.PKCS8, encryption))
    (tmp_path / "token").write_text(token + "\n")
    settings = dict(fingerprint="aa:" * 15 + "aa", key_file=str(tmp_path / "session_key.pem"),
                    tenancy="ocid1.tenancy.oc1..t", region="ap-tokyo-1", security_token_file=str(tmp_path / "token"))
    settings.update(overrides)
    path = tmp_path / "config"
    path.write_text("[SESSION]\n" + "".join("%s=%s\n" % item for item in settings.items() if item[1] is not None))
    return dict(auth_type="security_token", config_file=str(path), config_profile="SESSION")


def test_a_session_profile_gives_a_security_token_signer(tmp_path):
    config, signer = oci_utils.token_signer(session_profile(tmp_path, token="a.b.c"))
    assert isinstance(signer, oci.auth.signers.SecurityTokenSigner)
    assert signer.api_key == "ST$a.b.c" and config == {"region": "ap-tokyo-1"}


def test_the_option_region_wins_over_the_profile(tmp_path):
    config, dummy = oci_utils.token_signer(dict(session_profile(tmp_path), region="eu-frankfurt-1"))
    assert config == {"region": "eu-frankfurt-1"}


def test_an_encrypted_session_key_opens_with_the_profile_pass_phrase_or_the_option(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    opened = oci_utils.token_signer(session_profile(tmp_path / "a", encrypted_with="pw", pass_phrase="pw"))
    assert opened[1].api_key.startswith("ST$")
    params = session_profile(tmp_path / "b", encrypted_with="pw")
    with pytest.raises(oci_utils.OCIConfigError) as raised:
        oci_utils.token_signer(params)
    assert "cannot use the session of profile SESSION" in str(raised.value)
    assert oci_utils.token_signer(dict(params, key_pass_phrase="pw"))[1].api_key.startswith("ST$")


def test_a_profile_without_a_session_says_how_to_make_one(tmp_path):
    with pytest.raises(oci_utils.OCIConfigError) as raised:
        oci_utils.token_signer(session_profile(tmp_path, security_token_file=None))
    assert str(raised.value).startswith("auth_type security_token: profile SESSION of OCI config file")
    assert "has no security_token_file (create the profile with `oci session authenticate`)" in str(raised.value)


def test_a_resource_principal_outside_an_oci_resource_says_what_is_missing(monkeypatch):
    for name in RESOURCE_PRINCIPAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(oci_utils.OCIConfigError) as raised:
        oci_utils.token_signer(dict(auth_type="resource_principal"))
    assert str(raised.value).startswith("Resource principal authentication failed (does this run in an OCI resource "
                                        "that sets OCI_RESOURCE_PRINCIPAL_VERSION")


@pytest.mark.parametrize("auth_type, check", [
    ("api_key", "check user, fingerprint, key_file and tenancy"),
    ("security_token", "the session token may have expired: run `oci session refresh`"),
    ("resource_principal", "check that the resource is in a dynamic group that a policy allows"),
])
def test_a_refused_signature_says_what_to_check_for_the_auth_type(auth_type, check):
    error = oci.exceptions.ServiceError(401, "NotAuthenticated", {"opc-request-id": "r"}, "no")
    message = oci_utils.error_result("read it", error, auth_type=auth_type)["msg"]
    assert "(the signature was refused; auth_type %s: %s" % (auth_type, check) in message


def test_auth_type_also_falls_back_to_oracle_oci_variable(monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    monkeypatch.delenv("OCI_AUTH_TYPE", raising=False)
    monkeypatch.setenv("OCI_ANSIBLE_AUTH_TYPE", "security_token")
    assert ArgumentSpecValidator(oci_utils.oci_argument_spec()).validate({}).validated_parameters["auth_type"] == \
        "security_token"


def test_an_instance_principal_failure_is_told_apart_by_the_service_that_answered():
    from oci._vendor.requests import Request
    from oci._vendor.requests.exceptions import ConnectionError as RequestsConnectionError

    # The metadata service's HTTP errors reach the SDK's ServiceError without a code; the auth service's carry one.
    assert not oci_utils.failed_at_auth_service(oci.exceptions.ServiceError(401, None, {}, "401 Client Error"))
    assert oci_utils.failed_at_auth_service(oci.exceptions.ServiceError(401, "NotAuthenticated", {}, "refused"))

    def unreachable(url):
        return RequestsConnectionError("refused", request=Request("GET", url).prepare())

    assert oci_utils.failed_at_auth_service(unreachable("https://auth.ap-tokyo-1.oraclecloud.com/v1/x509"))
    assert not oci_utils.failed_at_auth_service(unreachable("http://169.254.169.254/opc/v2/identity/cert.pem"))
