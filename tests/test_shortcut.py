"""``bertgui --install-shortcut`` (commands/shortcut.py): a menu entry and an icon that start this bertgui, written
under a temporary name and renamed, and never over a file bertgui did not write."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from bertgui.cli import main
from bertgui.commands.shortcut import MARK, desktop_entry, install_shortcut
from bertgui.errors import BertguiError


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_the_entry_starts_the_given_program_with_our_icon(tmp_path):
    entry, icon = install_shortcut(tmp_path, ["/opt/bertgui/bertgui"])[::-1]
    keys = read_entry(entry)
    assert entry == tmp_path / "applications" / "bertgui.desktop"
    assert keys["Exec"] == "/opt/bertgui/bertgui"
    assert keys["Icon"] == "bertgui" and keys["Type"] == "Application"
    assert icon == tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "bertgui.svg"
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_a_path_with_spaces_and_percent_is_quoted_for_the_exec_key():
    line = next(ln for ln in desktop_entry("/home/a b/My 100% env/bin/bertgui").splitlines()
                if ln.startswith("Exec="))
    # Desktop entries double a literal % (a single one is a field code), then quote like a shell's double quotes.
    assert line == 'Exec="/home/a b/My 100%% env/bin/bertgui"'
    assert shlex.split(line.removeprefix("Exec=").replace("%%", "%")) == ["/home/a b/My 100% env/bin/bertgui"]


def test_a_menu_entry_that_is_not_ours_is_left_alone(tmp_path):
    entry = tmp_path / "applications" / "bertgui.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nName=someone else's bertgui\n", encoding="utf-8")
    with pytest.raises(BertguiError, match="not written by bertgui"):
        install_shortcut(tmp_path, ["/opt/bertgui/bertgui"])
    assert entry.read_text(encoding="utf-8") == "[Desktop Entry]\nName=someone else's bertgui\n"
    assert not (tmp_path / "icons").exists()  # nothing half installed


def test_an_icon_that_is_not_ours_is_left_alone(tmp_path):
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "bertgui.svg"
    icon.parent.mkdir(parents=True)
    icon.write_text("<svg>theirs</svg>", encoding="utf-8")
    with pytest.raises(BertguiError):
        install_shortcut(tmp_path, ["/opt/bertgui/bertgui"])
    assert icon.read_text(encoding="utf-8") == "<svg>theirs</svg>"
    assert not (tmp_path / "applications").exists()


def test_our_own_entry_is_replaced_by_the_new_one(tmp_path):
    install_shortcut(tmp_path, ["/old/bertgui"])
    entry = install_shortcut(tmp_path, ["/new/bertgui"])[1]
    assert read_entry(entry)["Exec"] == "/new/bertgui"
    assert MARK in entry.read_text(encoding="utf-8")
    assert sorted(p.name for p in entry.parent.iterdir()) == ["bertgui.desktop"]  # no temporary file left


def test_the_flag_installs_into_the_users_data_folder(tmp_path, monkeypatch, capsys):
    import bertgui.gui.app

    monkeypatch.setattr(bertgui.gui.app, "run_app", lambda: pytest.fail("--install-shortcut opened the window"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["--install-shortcut"]) == 0
    entry = tmp_path / "share" / "applications" / "bertgui.desktop"
    assert "bertgui" in read_entry(entry)["Exec"]
    assert str(entry) in capsys.readouterr().out
