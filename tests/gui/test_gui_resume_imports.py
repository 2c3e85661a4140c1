"""Resume clicked within seconds of opening the window: the engine must not race the background imports.

The bug (issue 22): the Train page's resume wrapped the engine in a lambda, so the worker took it for a test's
engine and skipped ``warm_imports``; the run then imported transformers while the window's warm-up did, and failed
with ``ImportError: cannot import name 'CONFIG_MAPPING'`` at step 0. A resume now goes through the default engine
with ``resume=…``, and the worker warms the imports first, like a new run.
"""

from __future__ import annotations


def test_a_resume_warms_the_imports_before_the_engine_runs(window, qtbot, monkeypatch, tmp_path):
    from bertgui.gui.work import training_run

    order: list[object] = []
    monkeypatch.setattr(training_run, "warm_imports", lambda: order.append("warm imports"))

    def engine_fn():
        def engine(config, on_event, control, resume=None):
            order.append(("engine", resume))

        return engine

    monkeypatch.setattr(training_run, "default_engine", engine_fn)
    page = window.train_page
    assert page.engine is None  # the window's own engine: the default one
    config = window.session.config.replace(output_dir=str(tmp_path / "run"))
    checkpoint = str(tmp_path / "run" / "checkpoint-4")
    with qtbot.waitSignal(page.run_ended, timeout=30000):
        page._go(config, checkpoint)
    assert order == ["warm imports", ("engine", checkpoint)]
