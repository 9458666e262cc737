"""The project's own tests; pytester runs the conformance suite as a user would."""

import os
import shutil
import signal
import tempfile

import pytest

# tests.seeded.scoreboard: the seeded catalog's scoreboard (loaded here so that the
# xdist controller, which loads no conftest below this one, prints it too).
pytest_plugins = ["pytester", "tests.seeded.scoreboard"]

# Some tests press Ctrl-C, in this process and in the suites it starts. A session begun
# with SIGINT ignored (a background job of a non-interactive shell) would pass that on
# to every suite it starts and none could see the key: give this one Python's handler,
# which its children then start with too (an exec resets a handled signal to default).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


# Most of these tests start the suite in a subprocess (a hundred-odd runs), each of which
# would compile the conformance package afresh, assertion rewriting included (a second of
# CPU each), when PYTHONDONTWRITEBYTECODE is set. Those subprocesses write their bytecode
# under a directory of this session's instead (PYTHONPYCACHEPREFIX: never beside the
# sources, as PYTHONDONTWRITEBYTECODE wants), removed when the session ends. xdist's
# workers, started after this, and the subprocesses they start inherit it.
_PYCACHE_PREFIX = "PYTHONPYCACHEPREFIX"


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or _PYCACHE_PREFIX in os.environ:
        return
    dont_write = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if dont_write is not None:
        prefix = tempfile.mkdtemp(prefix="conformance-tests-pycache-")
        os.environ[_PYCACHE_PREFIX] = prefix

        def restore() -> None:
            os.environ.pop(_PYCACHE_PREFIX, None)
            os.environ["PYTHONDONTWRITEBYTECODE"] = dont_write
            shutil.rmtree(prefix, ignore_errors=True)

        config.add_cleanup(restore)
