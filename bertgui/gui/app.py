"""Starting the Qt application: high-DPI behaviour, the system font, translations, then the main window.

No font is hard-coded: the platform's UI font (with its fallbacks) renders Latin, Chinese and other scripts alike,
which the planned Chinese translation and Chinese corpora rely on.
"""

from __future__ import annotations

import sys


def install_translator(app, locale_name: str | None = None) -> bool:
    """Install the interface translation (see ``bertgui.gui.i18n``); True when one other than English is loaded."""
    from bertgui.gui.i18n import ENGLISH, install_translators

    return install_translators(app, locale_name) != ENGLISH


def create_app(argv: list[str] | None = None):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        from bertgui.gui.xcb import check_xcb

        check_xcb()  # missing X11 libraries: one line naming the apt packages, not Qt's misleading abort
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("bertgui")
    app.setOrganizationName("bertgui")
    app.setApplicationDisplayName("bertgui")
    from bertgui.gui.desktop import window_icon

    app.setWindowIcon(window_icon())
    QGuiApplication.setDesktopFileName("bertgui")  # Wayland docks match the window to bertgui.desktop by this name
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, foreground="#3c4043")
    install_translator(app)
    return app


def run_app(argv: list[str] | None = None) -> int:
    app = create_app(argv)
    from bertgui.gui.window import MainWindow

    window = MainWindow()
    window.show()
    from bertgui.gui import selfcheck

    selfcheck.install(window)  # only what BERTGUI_* variables ask for (the build's own test)
    return app.exec()
