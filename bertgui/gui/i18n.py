"""The interface language: which translation to load, the stored choice, and the Language menu.

Why this shape: Qt looks a string up when a widget is *built* (``self.tr()``), so changing the translator later
only reaches widgets that rebuild their texts on ``QEvent.LanguageChange``. bertgui's pages set their texts once,
in their constructors (and keep state a rebuild would lose: a loaded corpus, a running training's chart), so a new
language applies at the next start — the menu says so plainly instead of leaving half the window in the old
language, and offers "Restart now" (the same command line, started again after the window closed normally). The default follows the system locale (``QLocale.system().uiLanguages()``, in the user's order of
preference); a choice made in the menu is stored in QSettings (``ui/language``) and wins over the locale. The
environment variable ``BERTGUI_LANGUAGE`` (``en``, ``zh_CN``) overrides both, for screenshots and support.

Translations are ``resources/bertgui_<code>.qm``, compiled from the ``.ts`` by ``scripts/update_translations.py``
and shipped as package data of ``bertgui.resources``; Qt's own strings (standard buttons, file dialogs) come from
the ``qtbase_<code>.qm`` that PySide6 ships (looked for where Qt says, then in PySide6's own ``Qt/translations``
folder, which is where a pip-installed PySide6 keeps them when ``QLibraryInfo`` points elsewhere).
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QProcess,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox, QWidget

from bertgui.gui import settings

SETTINGS_KEY = "ui/language"
SYSTEM = "system"  # the stored value meaning "follow the system locale"
ENGLISH = "en"  # the source language: no translation file
ENV_VAR = "BERTGUI_LANGUAGE"
# Each language named in itself, so a person finds theirs whatever language the menu is in.
NATIVE_NAMES = {ENGLISH: "English", "zh_CN": "简体中文"}
_INSTALLED = "_bertgui_translators"  # attribute on the application holding our QTranslators
_CURRENT = "_bertgui_language"


# ------------------------------------------------------------------ what exists
def shipped_languages() -> list[str]:
    """Codes with a compiled translation in ``bertgui.resources`` (``['zh_CN']``)."""
    try:
        folder = resources.files("bertgui.resources")
        names = [entry.name for entry in folder.iterdir()]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return []
    return sorted(n[len("bertgui_"):-len(".qm")] for n in names if n.startswith("bertgui_") and n.endswith(".qm"))


def available_languages() -> list[tuple[str, str]]:
    """(code, name in that language) for English and every shipped translation, English first."""
    out = [(ENGLISH, NATIVE_NAMES[ENGLISH])]
    for code in shipped_languages():
        out.append((code, NATIVE_NAMES.get(code) or QLocale(code).nativeLanguageName() or code))
    return out


def _known(code: str) -> bool:
    return code == ENGLISH or code in shipped_languages()


# ------------------------------------------------------------------ choosing
def system_language(locale: QLocale | None = None) -> str:
    """The shipped language closest to the system's preferences, else English.

    ``uiLanguages()`` lists the user's languages in order ("zh-Hans-CN", "zh-CN", "en-US", …); the first one we
    have wins. Any Chinese maps to 简体中文, the only Chinese translation — closer to a zh_TW/zh_HK reader than English.
    """
    shipped = shipped_languages()
    for tag in (locale or QLocale.system()).uiLanguages():
        parts = tag.replace("_", "-").split("-")
        language = parts[0].lower()
        if language == "en":
            return ENGLISH
        exact = f"{language}_{parts[-1].upper()}" if len(parts) > 1 else ""
        if exact in shipped:
            return exact
        same_language = [c for c in shipped if c.split("_")[0] == language]
        if same_language:
            return same_language[0]
    return ENGLISH


def stored_language() -> str:
    """The choice made in the Language menu: a language code, or ``"system"`` (the default)."""
    value = settings.get(SETTINGS_KEY, SYSTEM) or SYSTEM
    return value if value == SYSTEM or _known(value) else SYSTEM


def store_language(code: str) -> None:
    if code != SYSTEM and not _known(code):
        raise ValueError(f"no translation for {code!r}; available: {[c for c, _ in available_languages()]}")
    settings.put(SETTINGS_KEY, code)


def resolve_language(preference: str | None = None, locale: QLocale | None = None) -> str:
    """The language to show: BERTGUI_LANGUAGE, else ``preference`` (default: the stored one), else the system's."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env and _known(env):
        return env
    preference = stored_language() if preference is None else preference
    if preference != SYSTEM and _known(preference):
        return preference
    return system_language(locale)


def current_language() -> str:
    """The language whose translators are installed now (English when none is)."""
    app = QCoreApplication.instance()
    return getattr(app, _CURRENT, ENGLISH) if app is not None else ENGLISH


# ------------------------------------------------------------------ loading
def _bertgui_translator(code: str, parent: QObject) -> QTranslator | None:
    translator = QTranslator(parent)
    ref = resources.files("bertgui.resources") / f"bertgui_{code}.qm"
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path:
        return translator if translator.load(str(path)) else None


def qt_translation_folders() -> list[str]:
    """Where Qt's own ``qtbase_*.qm`` may be: Qt's configured folder, then PySide6's package folders."""
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    try:
        import PySide6

        package = Path(PySide6.__file__).parent
        folders += [str(package / "Qt" / "translations"), str(package / "translations")]
    except (ImportError, TypeError):  # pragma: no cover - PySide6 is how this module runs at all
        pass
    return [f for i, f in enumerate(folders) if f and f not in folders[:i] and Path(f).is_dir()]


def _qt_translator(code: str, parent: QObject) -> QTranslator | None:
    """Qt's own strings (OK/Cancel, file dialogs) in the same language, from the first folder that has them."""
    for folder in qt_translation_folders():
        translator = QTranslator(parent)
        if translator.load(f"qtbase_{code}", folder):
            return translator
    return None


def install_translators(app: QCoreApplication | None = None, language: str | None = None) -> str:
    """Install the translators for ``language`` (default: ``resolve_language()``); returns the code installed.

    Safe to call again: the translators installed before are removed first, so tests can switch back and forth
    in one application. English installs none (the source strings are English).
    """
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translators")
    code = language or resolve_language()
    for old in getattr(app, _INSTALLED, []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    if code != ENGLISH:
        ours = _bertgui_translator(code, app)
        if ours is None:
            code = ENGLISH  # no such translation: stay readable rather than half-translated
        else:
            installed.append(ours)
            qt = _qt_translator(code, app)
            if qt is not None:
                installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    setattr(app, _INSTALLED, installed)
    setattr(app, _CURRENT, code)
    return code


def translate_in(code: str, context: str, text: str) -> str:
    """``text`` in language ``code`` without installing anything (to say "restart" in the chosen language)."""
    if code == ENGLISH:
        return text
    app = QCoreApplication.instance()
    translator = _bertgui_translator(code, app) if app is not None else None
    if translator is None:
        return text
    return translator.translate(context, text) or text


# Qt 6's file dialog labels carry accelerators ("&Look in:", "Files of &type:") that the qtbase_zh_CN.qm PySide6
# ships has no translation for (it knows "Look in:"), so a Chinese window showed them in English. Marked here, they
# are in bertgui's own .ts under Qt's context; Qt asks every installed translator, so ours fills the gap.
QT_GAPS = (QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"), QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"))


# ------------------------------------------------------------------ the menu
RESTART_NOTICE = QT_TRANSLATE_NOOP("LanguageMenu", "The interface will be in {0} the next time bertgui starts.")
RESTART_NOW = QT_TRANSLATE_NOOP("LanguageMenu", "Restart now")
LATER = QT_TRANSLATE_NOOP("LanguageMenu", "Later")
# Seams for tests: how a new bertgui is started and how this one ends.
spawn = QProcess.startDetached
quit_application = QCoreApplication.quit


def restart_command() -> tuple[str, list[str]]:
    """The command line that started this process (``python -m bertgui gui``, the ``bertgui`` script, …)."""
    argv = list(getattr(sys, "orig_argv", []) or [sys.executable, *sys.argv])
    return sys.executable, argv[1:]


def restart(window: QWidget | None) -> bool:
    """Close the window the normal way (it asks when training runs), then start bertgui again; True if done."""
    if window is not None and not window.close():
        return False
    program, arguments = restart_command()
    spawn(program, arguments)
    quit_application()
    return True


def install_language_menu(menubar: QMenuBar, window: QWidget | None = None) -> QMenu:
    """Add a Language menu to ``menubar``: follow the system, or one of ``available_languages()``.

    The choice is stored at once and applies at the next start; a message says so, in the current language and
    in the chosen one.
    """
    menu = menubar.addMenu(QCoreApplication.translate("LanguageMenu", "&Language"))
    menu.setObjectName("languageMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    stored = stored_language()
    system_name = dict(available_languages()).get(system_language(), NATIVE_NAMES[ENGLISH])
    follow = QCoreApplication.translate("LanguageMenu", "System language ({0})").format(system_name)
    choices = [(SYSTEM, follow), *available_languages()]
    for i, (code, name) in enumerate(choices):
        if i == 1:
            menu.addSeparator()
        action = QAction(name, menu)
        action.setCheckable(True)
        action.setChecked(code == stored)
        action.setData(code)
        action.setObjectName(f"language_{code}")
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: choose_language(str(action.data()), window or menubar.window()))
    return menu


def choose_language(code: str, parent: QWidget | None = None) -> QMessageBox | None:
    """Store the choice; when the window's language will change, say that it happens at the next start."""
    store_language(code)
    target = resolve_language(code)
    if target == current_language():
        return None
    name = dict(available_languages()).get(target, target)
    here = QCoreApplication.translate("LanguageMenu", RESTART_NOTICE).format(name)
    there = translate_in(target, "LanguageMenu", RESTART_NOTICE).format(name)
    text = here if there == here else f"{here}\n\n{there}"
    title = QCoreApplication.translate("LanguageMenu", "Language")
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("languageNotice")
    box.setInformativeText(QCoreApplication.translate(
        "LanguageMenu", "Restarting closes this window: settings you changed here and did not save are not kept."))
    now = box.addButton(QCoreApplication.translate("LanguageMenu", RESTART_NOW),
                        QMessageBox.ButtonRole.AcceptRole)
    now.setObjectName("restartNow")
    later = box.addButton(QCoreApplication.translate("LanguageMenu", LATER), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)
    box.setEscapeButton(later)
    training = getattr(getattr(parent, "session", None), "training_active", False)
    if training:  # never end a run for a language: the change waits for the next start
        now.setEnabled(False)
        now.setToolTip(QCoreApplication.translate("LanguageMenu", "Training is running; restart when it ends."))
    window = parent.window() if parent is not None else None
    box.buttonClicked.connect(lambda button: restart(window) if button is now else None)
    box.open()  # window-modal, does not block the event loop
    if parent is not None:
        parent._language_notice = box  # keep it alive
    return box
