"""Render resources/bertgui.svg to a PNG (the packager's icon for Windows and macOS, and the AppImage's).

Usage: python packaging/make_icon.py OUT.png [SIZE]. Needs Qt (QtSvg) only, so it runs in the build's venv.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def render(svg: Path, out: Path, size: int = 256) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    tmp = out.with_name(out.name + ".tmp.png")
    if not image.save(str(tmp)):
        raise SystemExit(f"could not write {out}")
    tmp.replace(out)
    return out


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    render(root / "resources" / "bertgui.svg", Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 256)
