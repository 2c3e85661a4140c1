"""One DDP step equals one single-process step on the same global batch (loss and updated weights).

WHY: DDP averages gradients over processes while bertgui's loss is a sum normalised by the masked tokens of the
*whole* (all-process) batch; ``PretrainingTrainer.compute_loss`` multiplies by the world size to undo the average.
Drop that factor and two processes train at half the learning rate and log half the loss — nothing crashes, so
only a comparison like this one sees it. Plain SGD without clipping, so a gradient twice too small is an update
twice too small (Adam's first step would hide it); dropout off, so both layouts compute the same forward.
The two processes hold different numbers of masked tokens, so the all-process count matters too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STEP = '''
import json, os, sys
import torch
from transformers import BertForPreTraining, TrainingArguments
from bertgui.engine.trainer import PretrainingTrainer
from safetensors.torch import save_file

model_dir, out_dir, per_device = sys.argv[1], sys.argv[2], int(sys.argv[3])
world = int(os.environ.get("WORLD_SIZE", 1))
torch.manual_seed(0)
model = BertForPreTraining.from_pretrained(model_dir, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
gen = torch.Generator().manual_seed(1)
rows = []
for i in range(4):  # the global batch: 4 sequences of different lengths and masked counts
    length = 8 + 3 * i
    ids = torch.randint(5, model.config.vocab_size, (16,), generator=gen)
    labels = torch.full((16,), -100)
    masked = torch.arange(1, 1 + (i + 1) * 2)
    labels[masked] = ids[masked]
    ids[masked] = 4
    mask = (torch.arange(16) < length).long()
    rows.append({"input_ids": ids * mask, "attention_mask": mask, "token_type_ids": torch.zeros(16, dtype=torch.long),
                 "labels": torch.where(mask.bool(), labels, torch.full_like(labels, -100)),
                 "next_sentence_label": torch.tensor(i % 2)})


def collate(features):
    return {k: torch.stack([f[k] for f in features]) for k in features[0]}


args = TrainingArguments(
    output_dir=out_dir, per_device_train_batch_size=per_device, max_steps=1, learning_rate=0.5, optim="sgd",
    lr_scheduler_type="constant", weight_decay=0.0, max_grad_norm=0.0, logging_steps=1, report_to="none",
    save_strategy="no", train_sampling_strategy="sequential", remove_unused_columns=False, disable_tqdm=True,
    use_cpu=True, ddp_backend="gloo" if world > 1 else None, ddp_find_unused_parameters=False, seed=0)
trainer = PretrainingTrainer(model=model, args=args, train_dataset=rows, data_collator=collate)
trainer.train()
if int(os.environ.get("RANK", 0)) == 0:
    logged = next(x for x in trainer.state.log_history if "loss" in x)
    weights = {k: v.detach().clone().contiguous() for k, v in trainer.accelerator.unwrap_model(trainer.model)
               .state_dict().items()}
    save_file(weights, os.path.join(out_dir, "weights.safetensors"))
    with open(os.path.join(out_dir, "loss.json"), "w") as fh:
        json.dump({k: logged[k] for k in ("loss", "mlm_loss", "nsp_loss")}, fh)
'''


def run_step(tmp_path: Path, tiny_model: Path, processes: int) -> tuple[dict, dict]:
    from safetensors.torch import load_file

    script = tmp_path / "step.py"
    script.write_text(STEP, encoding="utf-8")
    out = tmp_path / f"p{processes}"
    out.mkdir()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(processes)]
    done = subprocess.run([*launcher, str(script), str(tiny_model), str(out), str(4 // processes)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "loss.json").read_text()), load_file(str(out / "weights.safetensors"))


@pytest.mark.slow
def test_two_processes_step_like_one_on_the_same_global_batch(tmp_path, tiny_model):
    import torch
    from transformers import BertForPreTraining

    one_loss, one = run_step(tmp_path, tiny_model, 1)
    two_loss, two = run_step(tmp_path, tiny_model, 2)
    for key in ("loss", "mlm_loss", "nsp_loss"):
        assert two_loss[key] == pytest.approx(one_loss[key], rel=1e-4), (key, one_loss, two_loss)
    base = BertForPreTraining.from_pretrained(str(tiny_model)).state_dict()
    moved = 0
    for name, after_one in one.items():
        step_one = after_one - base[name]
        step_two = two[name] - base[name]
        assert torch.allclose(step_two, step_one, rtol=1e-3, atol=1e-6), name
        moved += int(step_one.abs().max() > 1e-6)
    assert moved > 10  # the step did change the weights (else equality would prove nothing)
