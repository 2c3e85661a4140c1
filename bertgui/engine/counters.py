"""What the Trainer and the callbacks count together, in one named object instead of attributes set across classes.

The Trainer adds each micro-batch's MLM part, NSP part and real tokens to ``pending`` (on the device: no host sync
per micro-batch) and drains it once per log into the logged figures; the event callback reads ``real_tokens``; a
checkpoint stores ``real_tokens + pending tokens`` so a resume continues the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Counters:
    real_tokens: int = 0  #: real (non-padding) tokens trained on, logged so far (a resume starts at its checkpoint's)
    last_logged_step: int = 0  #: the optimizer step of the last log (the logged losses average the steps since)
    pending: Any = None  #: torch tensor [mlm, nsp, tokens] summed since the last log, or None
    has_nsp: bool = False  #: an NSP loss was seen (the log then carries ``nsp_loss``)

    def add(self, row: Any) -> None:
        self.pending = row if self.pending is None else self.pending + row

    def drain(self) -> Any:
        """The sums since the last log, and a fresh start (None when nothing was added)."""
        out, self.pending = self.pending, None
        return out

    def pending_tokens(self) -> int:
        return int(self.pending[2].item()) if self.pending is not None else 0
