"""After an out-of-memory failure the run gives back what it held on the device: gradients, AdamW's moments, the
scheduler; the weights stay usable."""

from __future__ import annotations

import torch

from bertgui.config import RunConfig
from bertgui.engine.release import release_training_memory
from bertgui.engine.run import Engine


def _failed_run(tmp_path, sample_corpus, tiny_model):
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       max_steps=4, batch_size=4, max_seq_length=32, eval_share=0.0, general_sample=False,
                       replay_share=0.0, checkpoint_every=100, seed=1).validate()
    engine = Engine(config, cache_dir=tmp_path / "cache", num_proc=1)

    def out_of_memory(step: int) -> None:
        if step == 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 96.00 GiB")

    engine.fault_injector = out_of_memory
    result = engine.run()
    assert result.failed is not None and result.failed.kind == "oom"
    return engine, result


def test_a_failed_run_gives_back_gradients_and_optimizer_state(tmp_path, sample_corpus, tiny_model) -> None:
    """The engine releases them itself after a failure: the window keeps the result (and so the model) alive."""
    torch.set_num_threads(1)
    engine, result = _failed_run(tmp_path, sample_corpus, tiny_model)
    assert engine.trainer.optimizer is None and engine.trainer.lr_scheduler is None
    assert all(p.grad is None for p in result.model.parameters())
    weights = {n: p.detach().clone() for n, p in result.model.named_parameters()}
    release_training_memory(result.model, engine.trainer, "cpu")  # a second call finds nothing and harms nothing
    assert all(torch.equal(p, weights[n]) for n, p in result.model.named_parameters())


def test_nothing_to_release_before_training(tiny_model) -> None:
    from transformers import AutoModelForPreTraining

    model = AutoModelForPreTraining.from_pretrained(tiny_model)
    released = release_training_memory(model, None, "cpu")
    assert released.allocated_after == 0 and all(p.grad is None for p in model.parameters())
