"""The headless training engine: ``train(config, on_event, control)`` or ``Engine`` (keeps the model in memory).

Split into small modules: ``device`` (where/which precision/threads), ``trainer`` (the Trainer subclass and its
loss), ``callbacks`` (Trainer hooks → events, pause/stop), ``run`` (one run end to end, failures → Failed events).
"""

from bertgui.engine.run import (
    CONFIG_FILE,
    FINAL_MODEL_DIR,
    METRICS_FILE,
    Engine,
    TrainResult,
    describe_failure,
    last_checkpoint,
    read_metrics,
    train,
)

__all__ = ["CONFIG_FILE", "FINAL_MODEL_DIR", "METRICS_FILE", "Engine", "TrainResult", "describe_failure",
           "last_checkpoint", "read_metrics", "train"]
