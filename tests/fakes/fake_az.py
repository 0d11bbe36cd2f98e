"""A stand-in for the Azure CLI's ``az``, which is not installed here: the two commands the collection
and azure-identity's AzureCliCredential run, answering as the CLI does after
``az login --service-principal`` (it keeps the login in AZURE_CONFIG_DIR and gets each token from
Entra's token endpoint with the client-credentials grant).

- ``az account get-access-token --output json --resource R [--tenant T]`` prints the documented
  JSON (``accessToken``, ``expiresOn`` as local "%Y-%m-%d %H:%M:%S.%f", ``expires_on`` epoch,
  ``subscription``, ``tenant``, ``tokenType``), what azure-identity's ``parse_token`` reads.
- ``az account show --output json`` prints the default subscription (``id``, ``tenantId``).

The login is ``$AZURE_CONFIG_DIR/cloudsim_login.json``: ``{"authority", "tenant", "client_id",
"secret", "subscription"}``; without it both commands fail as the CLI does, asking to run az login.
TLS is verified with REQUESTS_CA_BUNDLE, as the CLI's requests-based client does.
"""
import datetime
import json
import os
import ssl
import sys
import urllib.parse
import urllib.request


def login():
    path = os.path.join(os.environ.get("AZURE_CONFIG_DIR", os.path.expanduser("~/.azure")), "cloudsim_login.json")
    if not os.path.isfile(path):
        sys.stderr.write("ERROR: Please run 'az login' to setup account.\n")
        sys.exit(1)
    with open(path) as handle:
        return json.load(handle)


def option(arguments, name):
    return arguments[arguments.index(name) + 1] if name in arguments else None


def access_token(account, resource):
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": account["client_id"],
                                   "client_secret": account["secret"], "resource": resource}).encode()
    request = urllib.request.Request("%s/%s/oauth2/token" % (account["authority"], account["tenant"]), data=form)
    context = ssl.create_default_context(cafile=os.environ.get("REQUESTS_CA_BUNDLE"))
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as answer:  # noqa: S310
            token = json.load(answer)
    except urllib.error.HTTPError as error:
        sys.stderr.write("ERROR: AADSTS error from the token endpoint: %s\n" % error.read().decode())
        sys.exit(1)
    expires_on = int(token["expires_on"])
    return {"accessToken": token["access_token"],
            "expiresOn": datetime.datetime.fromtimestamp(expires_on).strftime("%Y-%m-%d %H:%M:%S.%f"),
            "expires_on": expires_on, "subscription": account["subscription"], "tenant": account["tenant"],
            "tokenType": "Bearer"}


def main(arguments):
    account = login()
    if arguments[:2] == ["account", "get-access-token"]:
        answer = access_token(account, option(arguments, "--resource"))
    elif arguments[:2] == ["account", "show"]:
        answer = {"id": account["subscription"], "tenantId": account["tenant"], "isDefault": True,
                  "state": "Enabled", "user": {"name": account["client_id"], "type": "servicePrincipal"}}
    else:
        sys.stderr.write("ERROR: fake az knows only 'account get-access-token' and 'account show'\n")
        return 2
    print(json.dumps(answer, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
