"""HTTP details other clients rely on: header and query-name case, chunked bodies, HEAD."""


def test_header_and_query_names_are_case_insensitive(arm, resource_group):
    token = arm.bearer()["Authorization"]
    answer = arm.request("GET", arm.subscription_path("/RESOURCEGROUPS/" + resource_group),
                         auth=False, api_version=None, headers={"authorization": token},
                         params={"API-Version": "2021-04-01"})
    assert answer.status_code == 200 and answer.json()["name"] == resource_group


def test_chunked_request_bodies_are_read(arm):
    def chunks():
        yield b'{"location": '
        yield b'"japaneast"}'
    answer = arm.request("PUT", arm.subscription_path("/resourcegroups/rg-chunked"),
                         data=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 201 and answer.json()["location"] == "japaneast"


def test_head_answers_without_a_body_and_the_connection_stays_usable(arm, resource_group):
    path = arm.subscription_path("/resourcegroups/" + resource_group)
    head = arm.request("HEAD", path)
    after = arm.request("GET", path)
    assert (head.status_code, head.content) == (204, b"")
    assert after.status_code == 200


def test_json_answers_are_labelled(arm):
    answer = arm.request("GET", arm.subscription_path("/resourcegroups"))
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "x-ms-request-id" in answer.headers
