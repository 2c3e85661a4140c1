"""The Corpus page says which encoding each file is read with, warns on a weak guess, and notes a length cap."""

from __future__ import annotations

FRENCH = (  # read as hp_roman8 before the fix
          "Le garçon connaît bien la forêt où il est né. Il aime se promener à côté du ruisseau, même en hiver.\n"
          "Leur mère, qui était institutrice à l'école du village, leur a appris à être curieux et honnêtes.\n"
          "Où est la gare ? Je crois qu'elle est là-bas, à côté de l'hôtel.\n"
          )
LITHUANIAN = ("Vilnius yra didžiausias šalies miestas ir sostinė; čia gyvena daugiau kaip pusė milijono žmonių.\n"
              "Žiemą dažnai sninga, o vasarą žmonės mėgsta ilsėtis pajūryje, Palangoje ir Neringoje.\n")


def idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.tasks.busy(), timeout=60000)


def test_the_detected_encoding_is_shown(window, qtbot, tmp_path):
    (tmp_path / "fr.txt").write_bytes(FRENCH.encode("latin-1"))
    page = window.corpus_page
    page.set_paths([str(tmp_path / "fr.txt")])
    idle(qtbot, page)
    assert page.error.isHidden()
    assert page.encoding.text() == "cp1252 (guessed, 100%)"


def test_several_files_show_each_encoding_and_a_weak_guess_says_what_to_do(window, qtbot, tmp_path):
    (tmp_path / "fr.txt").write_bytes(FRENCH.encode("latin-1"))
    (tmp_path / "lt.txt").write_bytes(LITHUANIAN.encode("cp1257"))
    (tmp_path / "short.txt").write_bytes("Il était une fois.\n".encode("latin-1"))
    page = window.corpus_page
    page.set_paths([str(tmp_path)])
    idle(qtbot, page)
    shown = page.encoding.text()
    assert "fr.txt: cp1252 (guessed" in shown and "lt.txt: cp1257 (guessed" in shown
    assert "short.txt: " in shown and "a weak guess" in shown and "corpus.encoding" in shown


def test_a_length_beyond_the_models_positions_is_counted_capped_with_a_note(qtbot, tmp_path, tiny_model,
                                                                            monkeypatch):
    from bertgui.config import RunConfig
    from bertgui.data.tokenized import position_limit
    from bertgui.gui.widgets.stats_view import compute_stats, plain_warnings
    from bertgui.model.loading import load_tokenizer, resolve_model

    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path / "cache"))
    (tmp_path / "fr.txt").write_text(FRENCH * 3, encoding="utf-8")
    info = resolve_model(str(tiny_model))
    tokenizer = load_tokenizer(info)

    class State:
        def check(self): ...
        def set_progress(self, *a): ...
        def set_partial_result(self, r): ...
        def is_interruption_requested(self): return False

    config = RunConfig(corpus=[str(tmp_path / "fr.txt")], max_seq_length=1024, nsp=False)
    stats = compute_stats(config, tokenizer, State(), position_limit(info.model_type, info.max_positions,
                                                                     tokenizer.pad_token_id))
    assert stats.max_seq_length == 512
    assert any("capped at 512 tokens" in w for w in plain_warnings(stats))
