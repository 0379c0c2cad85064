"""The exchange's tests run against the simulator of the provincial platform
as a real HTTP server (in a thread of the test process, or its own process
for the worker test), and records imported through the real intake."""

import json
import urllib.request

import pytest

from support.ingest_files import write_csv
from support.platform import platform  # noqa: F401 - a fixture for the worker test
from xinyong.catalog.models import CatalogItem
from xinyong.exchange import simulator
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record


class Province:
    """A running simulator and what it received."""

    def __init__(self, state: simulator.Province, server: simulator.SimulatorServer):
        self.state = state
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"

    def stats(self) -> dict:
        with urllib.request.urlopen(self.url + "/stats") as answer:
            return json.load(answer)

    def item(self, key: str) -> dict:
        return self.state.received[key]["body"]

    def add_feed(self, name: str, items: list[dict]) -> None:
        self.state.feeds.setdefault(name, []).extend(items)


@pytest.fixture
def province(settings):
    """A simulator on a free port, configured as the platform's endpoint."""
    state = simulator.Province(seed=1)
    server = simulator.serve(port=0, province=state)
    settings.XINYONG_EXCHANGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP = True
    settings.XINYONG_EXCHANGE_ATTEMPTS = 3
    settings.XINYONG_EXCHANGE_BACKOFF_MS = 1000
    yield Province(state, server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def own_files(settings, tmp_path):
    settings.XINYONG_EXCHANGE_FILES = tmp_path / "exchange"
    return settings.XINYONG_EXCHANGE_FILES


@pytest.fixture
def submit(tmp_path, department):
    """`submit(item, rows)`: rows imported through the intake as the department's
    file on the pinned day; returns the records in row order."""
    counter = iter(range(1, 10_000))

    def run(item: CatalogItem, rows: list[dict]) -> list[Record]:
        header = list(dict.fromkeys(key for row in rows for key in row))
        path = write_csv(tmp_path / f"upload-{next(counter)}.csv", rows, header=header)
        batch = batch_submit_file(department=department, item=item, path=path)
        assert batch.status == "done", batch.failure_reason
        assert batch.rejected == 0, list(batch.rejected_rows.values_list("errors", flat=True))
        return list(
            Record.objects.filter(source_batch_id=batch.pk)
            .select_related("subject", "item")
            .order_by("source_row", "pk")
        )

    return run
