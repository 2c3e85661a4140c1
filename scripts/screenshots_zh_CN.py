"""Screenshots of the 简体中文 window with a Chinese corpus loaded (not a test: a person looks at them).

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_zh_CN.py screenshots/

Why: CJK glyphs depend on the fonts of the machine (on Debian: ``apt-get install fonts-noto-cjk``), which no
offscreen test can judge; boxes instead of characters, clipped labels or spaced-out Chinese only show in a picture.
The corpus is the medicine (UTF-8) and law (GBK) text of tests/test_chinese.py; the model is a new tiny BERT whose
vocabulary is learnt on it, so nothing is downloaded. Saves zh_CN-<page>.png for every page and the language menu.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(out_dir: str, steps: int = 40) -> int:
    os.environ["BERTGUI_LANGUAGE"] = "zh_CN"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "gui")]
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from take_screenshots import wait_until
    from test_chinese import LAW, MEDICINE

    from bertgui.gui.app import create_app
    from bertgui.gui.window import MainWindow
    from bertgui.model.new import NewModelSpec, create_model

    work = Path(tempfile.mkdtemp(prefix="bertgui-zh-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))
    medicine, law = work / "医学.txt", work / "法律.txt"
    medicine.write_text("\n\n".join(MEDICINE * 3) + "\n", encoding="utf-8")
    law.write_bytes(("\n\n".join(LAW * 3) + "\n").encode("gbk"))
    corpus = [str(medicine), str(law)]
    model = create_model(corpus, work / "tiny-zh", NewModelSpec(layers=2, hidden=64, vocab_size=600))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    app = create_app()
    w = MainWindow()
    w.session.update_config(w.session.config.replace(output_dir=str(work / "run")))
    w.resize(1280, 800)
    w.show()

    def shot(name: str) -> None:
        QTest.qWait(400)
        path = out / f"zh_CN-{name}.png"
        w.grab().save(str(path))
        print(path)

    w.show_step("model")
    w.model_page.choose(str(model))
    wait_until(app, lambda: w.session.model_info is not None and not w.model_page.tasks.busy(), 120)
    shot("2-model")
    w.show_step("corpus")
    binary = work / "报告.txt"  # a core error (bertgui.text) shown in Chinese, with its advice
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02" * 100)
    w.corpus_page.set_paths([str(binary)])
    wait_until(app, lambda: not w.corpus_page.error.isHidden(), 60)
    shot("1-corpus-error")
    w.corpus_page.set_paths(corpus)
    wait_until(app, lambda: w.corpus_page.stats.status.text() == "整个语料。" or not w.corpus_page.error.isHidden(),
               120)
    shot("1-corpus")
    w.show_step("model")
    w.model_page.tabs.setCurrentWidget(w.model_page.vocabulary)  # vocabulary mining on the Chinese corpus
    vocab = w.model_page.vocabulary
    if not vocab.candidates:
        vocab.find()
    wait_until(app, lambda: vocab.table.rowCount() > 0 or "…" not in vocab.status.text(), 120)
    shot("2-vocabulary")
    w.model_page.tabs.setCurrentIndex(0)
    w.show_step("preview")
    wait_until(app, lambda: any(v.chips for v in w.preview_page.chip_views), 120)
    shot("3-preview")

    w.show_step("train")
    w.session.update_config(w.session.config.replace(
        max_steps=steps, batch_size=8, max_seq_length=64, eval_share=0.1, learning_rate=1e-3, device="cpu",
        checkpoint_every=steps, log_every=1, eval_every=steps // 2))
    w.train_page.start()
    wait_until(app, lambda: not w.session.training_active, 600)
    shot("4-train")

    w.show_step("evaluate")
    ev = w.evaluate_page
    ev.sentence.setText("高血[MASK]是最常见的慢性病之一。")
    ev.predict()
    wait_until(app, lambda: ev.tuned_table.rowCount() > 0 or not ev.error.isHidden(), 120)
    ev.nsp_a.setText("糖尿病患者需要长期监测血糖。")
    ev.nsp_b.setText("饮食控制和规律运动是治疗的基础。")
    ev.check_nsp()
    wait_until(app, lambda: bool(ev.nsp_result.text()) or not ev.error.isHidden(), 120)
    shot("5-evaluate")

    w.show_step("export")
    ex = w.export_page
    ex.folder.setText(str(work / "导出"))
    ex.export()
    wait_until(app, lambda: ex.exported is not None or not ex.error.isHidden(), 300)
    shot("6-export")

    bar = w.menuBar()
    w.language_menu.popup(bar.mapToGlobal(bar.actionGeometry(w.language_menu.menuAction()).bottomLeft()))
    QTest.qWait(300)
    w.language_menu.grab().save(str(out / "zh_CN-language-menu.png"))
    w.language_menu.hide()
    w.session.set_run_state("idle", "")
    w.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "screenshots")))
