"""The window's frame: steps with state marks, the status bar's run state, shortcuts, remembered geometry."""

from __future__ import annotations

from bertgui.gui.steps import StepState


def test_steps_in_order_and_pages_switch(window, qtbot):
    keys = [window.steps.item(i).data(0x0100) for i in range(window.steps.count())]
    assert keys == ["corpus", "model", "preview", "train", "evaluate", "export", "runs"]
    assert all(s is StepState.NOT_STARTED for s in window.steps.states.values())
    window.show_step("model")
    assert window.stack.currentWidget() is window.model_page
    window.steps.setCurrentRow(3)
    assert window.stack.currentWidget() is window.train_page


def test_step_marks_follow_the_session(window):
    window.session.set_step_state("model", StepState.PROBLEM)
    assert window.steps.states["model"] is StepState.PROBLEM
    assert "problem" in window.steps.item(1).toolTip()
    window.session.set_step_state("model", StepState.DONE)
    assert window.steps.states["model"] is StepState.DONE


def test_status_bar_shows_run_state(window):
    assert window.run_state_text() == "Idle"
    window.session.set_run_state("training", "Training: step 3 / 10")
    assert window.run_state_text() == "Training: step 3 / 10"


def test_shortcuts_switch_steps(window, qtbot):
    from PySide6.QtCore import Qt

    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.train_page
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.model_page
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl+O", "Ctrl+R", "Ctrl+P", "Ctrl+Q"} <= shortcuts


def test_geometry_is_remembered(app, qtbot):
    from bertgui.gui.window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(700, 500)  # the offscreen screen is 800 × 600
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_every_user_visible_string_is_translatable(app):
    """A fake translator that upper-cases everything: any window text left in lower case was not wrapped."""
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton

    class Shouting(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return source.upper() if source else source

    t = Shouting()
    QCoreApplication.installTranslator(t)
    try:
        from bertgui.gui.window import MainWindow

        w = MainWindow()
        texts = [b.text() for b in w.findChildren(QPushButton)] + [g.title() for g in w.findChildren(QGroupBox)]
        texts += [lbl.text() for lbl in w.findChildren(QLabel) if lbl.text() and "<" not in lbl.text()]
        untranslated = [t for t in texts if any(c.islower() for c in t) and not t.startswith(("/", "~"))]
        assert not untranslated, untranslated
        w.close()
        w.deleteLater()
    finally:
        QCoreApplication.removeTranslator(t)


def test_run_app_opens_the_window_and_returns_the_exit_code(app, qtbot, monkeypatch):
    """The real event loop is replaced by a check: a second QApplication.exec() in one test process leaves Qt
    unable to deliver queued signals to later tests."""
    from PySide6.QtWidgets import QApplication

    from bertgui.gui.window import MainWindow

    seen = []

    def fake_exec():
        seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        for w in seen:
            w.close()
        return 0

    monkeypatch.setattr(type(app), "exec", staticmethod(fake_exec))
    from bertgui.gui.app import run_app

    assert run_app([]) == 0
    assert seen and seen[0].windowTitle() and "bertgui" not in seen[0].windowTitle()  # Qt appends "— bertgui"


def test_no_page_squeezes_the_step_list_at_1280_by_800(window, qtbot):
    """Each page fits 1280 × 800: the steps keep their width (a too-wide page once shrank them to '…')."""
    window.resize(1280, 800)
    window.show()
    for key in window.pages:
        window.show_step(key)
        qtbot.wait(20)
        assert window.steps.width() >= 180, key
        assert window.stack.currentWidget().minimumSizeHint().width() <= 1280 - 180, key
