"""Starting the Qt application."""

from __future__ import annotations

import sys


def run_app(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("bertgui")
    app.setOrganizationName("bertgui")
    window = QMainWindow()
    window.setWindowTitle("bertgui")
    window.resize(1280, 800)
    window.show()
    return app.exec()
