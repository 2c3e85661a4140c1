"""The headless training engine: ``train(config, on_event, control)`` or ``Engine`` (keeps the model in memory).

Small modules: ``device`` (where/which precision/threads), ``trainer`` (the Trainer subclass and its loss),
``callbacks`` (Trainer hooks → events, pause/stop), ``evaluation`` (frozen held-out measurement), ``folder`` (what a
run folder holds), ``failures`` (exceptions → Failed events with advice), ``run`` (one run end to end, in stages).
"""

from bertgui.engine.failures import describe_failure
from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, METRICS_FILE, last_checkpoint, read_metrics
from bertgui.engine.run import Engine, TrainResult, train

__all__ = ["CONFIG_FILE", "FINAL_MODEL_DIR", "METRICS_FILE", "Engine", "TrainResult", "describe_failure",
           "last_checkpoint", "read_metrics", "train"]
