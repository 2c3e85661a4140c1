"""The window's run ends with a complete final-model, as `bertgui train` leaves it (issue 23, item 16)."""

from bertgui.engine.folder import FINAL_MODEL_DIR


def test_a_window_run_leaves_a_complete_final_model(window, qtbot, tmp_path, tiny_model, sample_corpus):
    from bertgui.model.loading import resolve_model

    s = window.session
    s.set_workspace(tmp_path / "ws")
    s.set_corpus([str(sample_corpus)], documents="blank-line")
    s.set_model(resolve_model(str(tiny_model)))
    s.update_config(s.config.replace(max_steps=2, output_dir="", batch_size=4, max_seq_length=64, eval_share=0.1,
                                     device="cpu", checkpoint_every=1000))
    train = window.train_page
    window.show_step("train")
    with qtbot.waitSignal(train.run_ended, timeout=300000):
        assert train.start()
    final = next((tmp_path / "ws").iterdir()) / FINAL_MODEL_DIR
    assert {"README.md", "loss.png", "loss.csv", "bertgui.toml"} <= {p.name for p in final.iterdir()}
