"""The project's own tests; pytester runs the conformance suite as a user would."""

import signal

# tests.seeded.scoreboard: the seeded catalog's scoreboard (loaded here so that the
# xdist controller, which loads no conftest below this one, prints it too).
pytest_plugins = ["pytester", "tests.seeded.scoreboard"]

# Some tests press Ctrl-C, in this process and in the suites it starts. A session begun
# with SIGINT ignored (a background job of a non-interactive shell) would pass that on
# to every suite it starts and none could see the key: give this one Python's handler,
# which its children then start with too (an exec resets a handled signal to default).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
