"""Drive the real window through the whole flow and save a screenshot of every page (not a test).

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python tests/gui/take_screenshots.py screenshots/

Uses the bundled sample corpus and a new small model, trains a short run with the real engine, then grabs each
page with ``QWidget.grab()``. Waits on conditions, never on fixed sleeps alone, so a slow machine only takes longer.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def wait_until(app, condition, timeout: float = 300.0) -> bool:
    from PySide6.QtTest import QTest

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        QTest.qWait(50)
    print("timed out waiting", file=sys.stderr)
    return False


def shoot_vocabulary(app, w, shot) -> None:
    """The Model page's Vocabulary tab with the top 10 candidates ticked and the before/after figures."""
    page = w.model_page
    w.show_step("model")
    page.show_vocabulary()
    panel = page.vocabulary
    wait_until(app, lambda: panel.table.rowCount() > 0 and not panel.mine_tasks.busy())
    panel.take_top(10)
    wait_until(app, lambda: panel.last_report is not None and panel.last_report["added"] > 0
               and not panel.report_tasks.busy() and not panel._report_timer.isActive())
    shot("2-model-vocabulary")
    panel.take_top(0)  # leave the run config without added words
    page.tabs.setCurrentIndex(0)


def main(out_dir: str, steps: int = 60) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from bertgui.gui.app import create_app
    from bertgui.gui.window import MainWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bertgui-shots-"))
    # A fresh settings file: the screenshots show a first start, not this machine's recent lists.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))
    app = create_app()
    w = MainWindow()
    w.session.update_config(w.session.config.replace(output_dir=str(work / "run")))
    w.resize(1280, 800)
    w.show()

    def shot(name: str) -> None:
        QTest.qWait(300)
        path = out / f"{name}.png"
        w.grab().save(str(path))
        print(path)

    w.show_step("corpus")
    w.corpus_page.use_sample()
    w.show_step("model")
    page = w.model_page
    page.new_output.setText(str(work / "small-model"))
    page.new_vocab.setValue(2000)
    page.create_button.click()
    wait_until(app, lambda: w.session.model_info is not None and not page.tasks.busy())
    shot("2-model")
    shoot_vocabulary(app, w, shot)
    w.show_step("corpus")
    wait_until(app, lambda: w.corpus_page.stats.status.text() == "Whole corpus." or not w.corpus_page.error.isHidden())
    shot("1-corpus")
    w.show_step("preview")
    wait_until(app, lambda: any(v.chips for v in w.preview_page.chip_views))
    shot("3-preview")

    w.show_step("train")
    w.session.update_config(w.session.config.replace(
        max_steps=steps, batch_size=8, max_seq_length=64, eval_share=0.1, learning_rate=1e-3, device="cpu",
        checkpoint_every=steps, log_every=1, eval_every=steps // 2))
    train = w.train_page
    train.start()
    wait_until(app, lambda: train.chart.point_count() >= steps // 2, timeout=900)
    shot("4-train-running")
    wait_until(app, lambda: not w.session.training_active, timeout=900)
    shot("4-train-finished")

    w.show_step("evaluate")
    ev = w.evaluate_page
    ev.sentence.setText("The [MASK] statement is used to leave a loop early.")
    ev.predict()
    wait_until(app, lambda: ev.tuned_table.rowCount() > 0 or not ev.error.isHidden())
    ev.nsp_a.setText("The break statement ends the nearest enclosing loop.")
    ev.nsp_b.setText("The else clause of the loop is then skipped.")
    ev.check_nsp()
    wait_until(app, lambda: bool(ev.nsp_result.text()) or not ev.error.isHidden())
    shot("5-evaluate")

    w.show_step("export")
    ex = w.export_page
    ex.folder.setText(str(work / "exported"))
    ex.export()
    wait_until(app, lambda: ex.exported is not None or not ex.error.isHidden())
    shot("6-export")
    w.session.set_run_state("idle", "Idle")
    w.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
