"""The headless training engine: ``train(config, on_event, control)`` or ``Engine`` (keeps the model in memory).

``run`` is the run's life in stages (``opening``, ``model_stage``, ``data_stage``, ``budget``, ``heads``,
``evaluation``, ``training``, ``finishing``), its state one ``state.RunState``; ``schedule`` is the one object the
planner revises; ``trainer``/``callbacks``/``counters`` the Trainer's side; ``folder``/``record``/``runs`` what a
run folder holds; ``failures`` turns exceptions into ``Failed`` events with advice.
"""

from bertgui.engine.failures import describe_failure
from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, METRICS_FILE, last_checkpoint, read_metrics
from bertgui.engine.run import Engine, TrainResult, train

__all__ = ["CONFIG_FILE", "FINAL_MODEL_DIR", "METRICS_FILE", "Engine", "TrainResult", "describe_failure",
           "last_checkpoint", "read_metrics", "train"]
