"""The landing page and the API documentation, served by kvorum itself under its security policy."""

from fastapi.testclient import TestClient

from kvorum.web.headers import CONTENT_SECURITY_POLICY


def test_the_landing_page_says_what_the_server_is_and_links_on(app_client: TestClient) -> None:
    page = app_client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for link in (
        'href="/signin"',
        'href="/requester/signin"',
        'href="/docs"',
        'href="/redoc"',
        'href="/openapi.json"',
    ):
        assert link in page.text
    assert "Toloka API v1" in page.text and 'url="http://testserver"' in page.text
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"


def test_the_docs_load_every_asset_from_this_server(app_client: TestClient) -> None:
    for path, asset in (
        ("/docs", "/static/docs/swagger-ui-bundle.js"),
        ("/redoc", "/static/docs/redoc.standalone.js"),
    ):
        page = app_client.get(path)
        assert page.status_code == 200
        assert "http" not in page.text, "an asset from another host would not load offline"
        assert "<script>" not in page.text, "the policy forbids inline scripts"
        assert asset in page.text
        assert "script-src 'self';" in page.headers["content-security-policy"]
        served = app_client.get(asset)
        assert served.status_code == 200 and len(served.content) > 100_000
    assert "SwaggerUIBundle" in app_client.get("/static/swagger-init.js").text
    assert app_client.get("/openapi.json").json()["info"]["title"] == "kvorum"


def test_the_api_keeps_its_json_errors_and_gets_the_policy_too(app_client: TestClient) -> None:
    missing = app_client.get("/api/v1/projects")
    assert missing.status_code == 401 and missing.json()["code"] == "AUTHENTICATION_ERROR"
    assert "content-security-policy" in missing.headers
