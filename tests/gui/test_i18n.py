"""The zh_CN interface: every GUI string translated, the shipped .qm built from the .ts, the language menu, switching.

The completeness check runs pyside6-lupdate over today's sources (as scripts/update_translations.py does), so a
string added to the code without a translation fails here, not in a user's half-English window.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale

from bertgui.gui import i18n

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "bertgui_zh_CN.ts"
QM = ROOT / "resources" / "bertgui_zh_CN.qm"
# Names and code that stay as they are in Chinese text.
UNTRANSLATED_OK = {"bertgui", "CPU", "Apple GPU (MPS)", "torchrun", "accelerate launch", "MLM {0:.4f}", "NSP {0:.4f}"}
# The usual Chinese terms (issue 8): wherever the English says the one, the Chinese must say the other.
GLOSSARY = {
    r"\bperplexity\b": "困惑度",
    r"\bvocabular(y|ies)\b": "词表",
    r"\bcheckpoints?\b": "检查点",
    r"\blearning[ -]rate\b": "学习率",
    r"\bbatch size\b": "批大小",
    r"\bnext[ -]sentence\b": "下一句",
    r"\bwhole[ -]word masking\b": "全词掩码",
    r"\bcorpus\b(?!\.)": "语料",  # not the config key corpus.eval_share
    r"\bmasked language model": "掩码语言模型",
    r"\btokens?\b": "词元",
    r"\bexport": "导出",
}
HUB_TOKEN = re.compile(r"hf auth login|HF_TOKEN|write access|refused the token|Hugging Face token|token may not write",
                       re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[0-9nvmp]")
CJK = re.compile(r"[\u3400-\u9fff]")


def _update_script():
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(context, source) -> (translation type, translation text)."""
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            kind = (tr.get("type") or "") if tr is not None else "unfinished"
            out[(name, message.findtext("source") or "")] = (kind, "".join(tr.itertext()) if tr is not None else "")
    return out


@pytest.fixture(scope="module")
def live_messages(tmp_path_factory) -> set[tuple[str, str]]:
    """The (context, source) pairs the code uses today, as lupdate extracts them."""
    script = _update_script()
    copy = tmp_path_factory.mktemp("ts") / TS.name
    shutil.copy(TS, copy)
    script.run_lupdate(copy, keep_obsolete=True)
    return {key for key, (kind, _) in _messages(copy).items() if kind not in ("vanished", "obsolete")}


def test_every_gui_string_has_a_finished_translation(live_messages):
    committed = _messages(TS)
    assert len(live_messages) > 100, "lupdate found suspiciously few strings"
    no_context = sorted(src for ctx, src in live_messages if not ctx)
    assert not no_context, (
        "strings without a context: lupdate misread an alias such as `tr = QCoreApplication.translate` "
        f"(name it `translate`) or `tr = self.tr`: {no_context}")
    missing = sorted(key for key in live_messages if key not in committed)
    unfinished = sorted(key for key in live_messages if key in committed
                        and (committed[key][0] in ("unfinished", "vanished", "obsolete") or not committed[key][1].strip()))
    assert not missing, f"run scripts/update_translations.py and translate: {missing}"
    assert not unfinished, f"unfinished, empty or obsolete-but-used translations: {unfinished}"


def _is_tr_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name in ("tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP")


def test_no_string_hidden_from_lupdate():
    """f-strings cannot be translated, and lupdate does not see a tr() call written inside an f-string."""
    problems = []
    for path in sorted((ROOT / "bertgui" / "gui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                problems += [f"{path.name}:{n.lineno}: tr() inside an f-string" for n in ast.walk(node) if _is_tr_call(n)]
            elif _is_tr_call(node) and any(isinstance(a, ast.JoinedStr) for a in node.args):
                problems.append(f"{path.name}:{node.lineno}: f-string passed to tr(): use placeholders")
    assert not problems, "\n".join(problems)


def test_config_help_texts_are_extracted(live_messages):
    """RunConfig's help and the presets' (tooltips) are translated at run time: contexts RunConfig and Presets."""
    import dataclasses

    from bertgui.config import PRESET_HELP, RunConfig

    helps = {f.metadata["help"] for f in dataclasses.fields(RunConfig) if f.metadata.get("help")}
    assert helps and helps <= {src for ctx, src in live_messages if ctx == "RunConfig"}
    assert set(PRESET_HELP.values()) <= {src for ctx, src in live_messages if ctx == "Presets"}


def test_every_config_field_has_a_translatable_label():
    """A field missing from FIELD_LABELS gets an English label made from its name, which no translation reaches."""
    import dataclasses

    from bertgui.config import RunConfig
    from bertgui.gui.widgets.config_form import FIELD_LABELS

    assert [f.name for f in dataclasses.fields(RunConfig) if f.name not in FIELD_LABELS] == []


def test_translations_keep_placeholders_terms_and_accelerators():
    problems = []
    for (context, source), (kind, text) in _messages(TS).items():
        if kind in ("vanished", "obsolete"):
            continue
        where = f"[{context}] {source!r} -> {text!r}"
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ: {where}")
        if re.search(r"[A-Za-z]{2}", source) and not CJK.search(text) and source not in UNTRANSLATED_OK:
            problems.append(f"not translated: {where}")
        for pattern, term in GLOSSARY.items():
            if term == "词元" and HUB_TOKEN.search(source):
                continue  # a Hugging Face login token (访问令牌), not a piece of text
            if re.search(pattern, source, re.IGNORECASE) and term not in text:
                problems.append(f"term {term} missing: {where}")
        accel = re.search(r"&(\w)", source)
        if accel and f"(&{accel.group(1).upper()})" not in text:
            problems.append(f"accelerator: {where}")
    assert not problems, "\n".join(problems)


def test_qm_is_compiled_from_the_current_ts(tmp_path):
    script = _update_script()
    rebuilt = tmp_path / QM.name
    script.run_lrelease(TS, rebuilt)
    assert QM.is_file(), "resources/bertgui_zh_CN.qm is missing: run scripts/update_translations.py"
    assert rebuilt.read_bytes() == QM.read_bytes(), "the .qm is stale: run scripts/update_translations.py"


def test_available_languages_and_system_locale(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.available_languages() == [("en", "English"), ("zh_CN", "简体中文")]
    assert i18n.system_language(QLocale("zh_CN")) == "zh_CN"
    assert i18n.system_language(QLocale("zh_TW")) == "zh_CN"  # the only Chinese translation
    assert i18n.system_language(QLocale("en_GB")) == "en"
    assert i18n.system_language(QLocale("de_DE")) == "en"
    assert i18n.resolve_language(locale=QLocale("zh_CN")) == "zh_CN"  # nothing stored: follow the system
    i18n.store_language("en")
    assert i18n.resolve_language(locale=QLocale("zh_CN")) == "en"  # a stored choice wins
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")
    assert i18n.resolve_language(locale=QLocale("en_US")) == "zh_CN"  # the environment wins over both
    with pytest.raises(ValueError):
        i18n.store_language("xx_YY")


def _visible_texts(window) -> dict[str, str]:
    return {
        "title": window.windowTitle(),
        "steps": " | ".join(window.steps.item(i).text() for i in range(window.steps.count())),
        "corpus": window.corpus_page.title.text(),
        "preview": window.preview_page.title.text() + " " + window.preview_page.intro.text(),
        "train": window.train_page.intro.text(),
        "status": window.run_state_text(),
        "menu": window.language_menu.title(),
    }


def test_switching_to_chinese_translates_the_main_window(app, qtbot, monkeypatch):
    from bertgui.gui.window import MainWindow

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.install_translators(app, "en") == "en"
    english_window = MainWindow()
    qtbot.addWidget(english_window)
    english = _visible_texts(english_window)
    try:
        assert i18n.install_translators(app, "zh_CN") == "zh_CN"
        assert i18n.current_language() == "zh_CN"
        chinese_window = MainWindow()
        qtbot.addWidget(chinese_window)
        chinese = _visible_texts(chinese_window)
        for key, text in chinese.items():
            assert text != english[key], key
            assert CJK.search(text), (key, text)
        assert chinese["preview"].startswith("预览")
        assert chinese["menu"] == "语言(&L)"
        assert "1.  语料" in chinese["steps"]
        assert chinese["status"] == "空闲"
        assert QCoreApplication.translate("MainWindow", "Quit") == "退出"
        qtbase = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_zh_CN.qm"
        if qtbase.is_file():  # Qt's own strings (standard buttons) follow when PySide6 ships them
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        for page in chinese_window.pages.values():
            page.shutdown()
    finally:
        i18n.install_translators(app, "en")
        for page in english_window.pages.values():
            page.shutdown()
    assert QCoreApplication.translate("MainWindow", "Quit") == "Quit"


def test_language_menu_stores_the_choice_and_says_it_applies_at_restart(window, qtbot, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    menu = window.language_menu
    assert menu.menuAction() in window.menuBar().actions()
    actions = {a.data(): a for a in menu.actions() if a.data()}
    assert list(actions) == ["system", "en", "zh_CN"]
    assert actions["zh_CN"].text() == "简体中文" and actions["en"].text() == "English"
    assert actions["system"].isChecked()

    actions["zh_CN"].trigger()
    assert i18n.stored_language() == "zh_CN"
    assert actions["zh_CN"].isChecked() and not actions["system"].isChecked()
    notice = window._language_notice
    qtbot.waitUntil(notice.isVisible, timeout=3000)
    assert "next time bertgui starts" in notice.text()  # in the current language
    assert "下次启动 bertgui 时，界面将切换为简体中文" in notice.text()  # and in the chosen one
    assert i18n.current_language() == "en"  # nothing switched under the user's feet
    notice.accept()

    try:
        from bertgui.gui.app import create_app

        create_app()  # what the next start does
        assert i18n.current_language() == "zh_CN"
    finally:
        i18n.install_translators(QCoreApplication.instance(), "en")

    actions["en"].trigger()
    assert i18n.stored_language() == "en"
    assert i18n.resolve_language() == "en"


def test_core_messages_reach_a_chinese_user_in_chinese(app, tmp_path):
    """Errors, advice and progress of the Qt-free core are Text objects; the window shows them translated."""
    from bertgui.config import RunConfig
    from bertgui.data.corpus import detect_encoding
    from bertgui.engine.failures import describe_failure
    from bertgui.errors import CorpusError
    from bertgui.gui.messages import explain, localize
    from bertgui.text import text

    failed = describe_failure(MemoryError("simulated"), RunConfig(batch_size=32, max_seq_length=256), 7)
    empty = tmp_path / "leer.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        detect_encoding(empty)
    unknown = text("A sentence nobody translated: {0}", 3)
    assert localize(failed.message) == "The computer ran out of memory at step 7."  # English first
    try:
        assert i18n.install_translators(app, "zh_CN") == "zh_CN"
        assert localize(failed.message) == "第 7 步时计算机内存不足。"
        assert localize(failed.advice) == ("请减小批大小（当前为 32）或最大序列长度（当前为 256）；用梯度累积（当前为 1）"
                                           "可以保持等效批次不变。")
        message, advice = explain(caught.value)
        assert message == f"语料文件 {empty} 是空的。" and advice == "请选择有文字内容的文件。"
        nested = text("Process {0} of {1} failed: {2}", 1, 2, failed.message)
        assert localize(nested) == "2 个进程中的第 1 号进程出错：第 7 步时计算机内存不足。"
        assert localize(unknown) == "A sentence nobody translated: 3"  # no translation: the English stays
        assert localize("plain str") == "plain str"
    finally:
        i18n.install_translators(app, "en")
