"""Downloading the public CSV files in a test: the worker builds them
(`records.exports`), the site serves them."""

from support.tasks import run_ready_tasks


def download(client, kind: str, **params):
    """The response of a CSV download after the queued build ran; a file out of
    date (503, which enqueues its build) is built and asked for again."""
    run_ready_tasks()
    response = client.get(f"/shuanggongshi/{kind}.csv", params)
    if response.status_code == 503:
        run_ready_tasks()
        response = client.get(f"/shuanggongshi/{kind}.csv", params)
    assert response.status_code == 200, response.content[:300]
    return response


def download_csv(client, kind: str, **params) -> str:
    """The text of a CSV download (see `download`)."""
    return b"".join(download(client, kind, **params).streaming_content).decode("utf-8-sig")
