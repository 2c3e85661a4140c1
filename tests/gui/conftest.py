"""Qt fixtures for the window's tests: offscreen, isolated settings, and no test may leave a QThread running.

The thread check follows napari: ``QThread.start`` is wrapped for the test, and any thread still running at the
end fails the test (after giving it a moment to finish), because a dangling worker is how GUI tests crash later,
in another test, with no trace of the culprit.
"""

from __future__ import annotations

import os

import pytest

# No importorskip: without PySide6 the window's tests must fail in CI, not turn into skips.
from PySide6.QtCore import QSettings, QThread  # noqa: E402

THREAD_GRACE_MS = 5000
# The offscreen platform plugin warns on every top-level show(); it says nothing about our code.
PLATFORM_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(PLATFORM_NOISE))


@pytest.fixture(autouse=True)
def fail_on_running_qthreads(monkeypatch, request):
    started: list[QThread] = []
    original = QThread.start

    def tracking_start(self, *args, **kwargs):
        started.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", tracking_start)
    yield started
    import shiboken6

    dangling = []
    for thread in started:
        if not shiboken6.isValid(thread):
            continue
        if thread.isRunning() and not thread.wait(THREAD_GRACE_MS):
            dangling.append(thread.objectName() or repr(thread))
    if dangling:
        pytest.fail(f"{request.node.nodeid} left QThreads running: {dangling}")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """QSettings, the sample-corpus cache and the workspace of runs live in the test's folder, never in the home."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("BERTGUI_WORKSPACE", str(tmp_path / "workspace"))  # runs never land in ~/Documents
    yield


@pytest.fixture
def app(qapp):
    from bertgui.gui.app import create_app

    return create_app()


@pytest.fixture
def window(app, qtbot, tmp_path):
    """The real main window, its output folder in the test's tmp folder."""
    from bertgui.gui.window import MainWindow

    w = MainWindow()
    # No time budget in the window's tests: their runs keep the steps they ask for (the basic view's first-start
    # default of 20 minutes would turn a 5-step run into a 20-minute plan); the budget has tests of its own.
    w.first_start_config = w.session.config  # what a first start set, before the override below
    w.first_start_budget_shown = w.train_page.basic.budget.currentData()  # ... and what the basic view showed
    w.session.update_config(w.session.config.replace(output_dir=str(tmp_path / "out"), time_budget="0"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    yield w
    for page in w.pages.values():
        page.shutdown()
    w.warmup.wait()


@pytest.fixture(scope="session", autouse=True)
def _one_thread_for_torch():
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
