import os
import shutil
import tempfile
import uuid
from typing import Iterator, Optional

import pytest

from _helpers import Server, ServerProcess, free_port


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The server for the session: the one ``npm test`` started (TRACKFLARE_TEST_URL/TRACKFLARE_TEST_TOKEN),
    else one of our own. Its URL and key go into TRACKFLARE_URL/TRACKFLARE_TOKEN, so examples that call
    ``init``/``Api()`` without arguments, as Trackio's do, reach it."""
    url, token = os.environ.get("TRACKFLARE_TEST_URL"), os.environ.get("TRACKFLARE_TEST_TOKEN")
    own: Optional[ServerProcess] = None
    persist = None
    if not url or not token:
        persist = tempfile.mkdtemp(prefix="trackflare-pytest-")
        own = ServerProcess(free_port(), persist, f"tf_admin_pytest_{uuid.uuid4().hex[:12]}").start()
        url, token = own.url, own.token
    os.environ["TRACKFLARE_URL"], os.environ["TRACKFLARE_TOKEN"] = url, token
    try:
        yield Server(url, token)
    finally:
        if own is not None:
            own.stop()
        if persist:
            shutil.rmtree(persist, ignore_errors=True)


@pytest.fixture
def project(request: pytest.FixtureRequest) -> str:
    """A fresh project name per test."""
    return f"py-{request.node.name[:40].replace('[', '-').replace(']', '')}-{uuid.uuid4().hex[:8]}".replace("_", "-")


@pytest.fixture(autouse=True)
def _no_current_run() -> Iterator[None]:
    import trackflare

    yield
    run = trackflare.current_run()
    if run is not None:
        run.finish(timeout=5)
        trackflare._tracking._current = None

