"""The JSON-lines event protocol every ctxc Python shim speaks (embedded in the ctxc binary and
written next to the shim at run time; the shim does `from ctxc_events import Events`).

One JSON object per line on the process's ORIGINAL stdout; `Events()` then points fd 1 at stderr,
so whatever the backend prints (mlx-lm's rich table, warnings) lands in train.log and never
corrupts the event stream. Floats that are NaN/inf become null (Python's json writes `NaN`,
which JSON.parse rejects).

Events (field "event"): start {backend, versions}, metric {step, split, ...numbers},
checkpoint {step, path}, log {level, message}, error {kind, message, hint?}, done {metrics}.
"""
import json
import math
import os
import sys
import time


def _clean(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):  # numpy / mlx scalars
        try:
            return _clean(value.item())
        except Exception:
            return str(value)
    return value


class Events:
    def __init__(self):
        sys.stdout.flush()
        self._out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)  # the backend's prints go to stderr from now on
        sys.stdout = sys.stderr

    def emit(self, event, **fields):
        fields = _clean(fields)
        fields["event"] = event
        fields["t"] = round(time.time(), 3)
        self._out.write(json.dumps(fields, allow_nan=False) + "\n")
        self._out.flush()

    def start(self, backend, versions, **extra):
        self.emit("start", backend=backend, versions=versions, **extra)

    def metric(self, step, split, **values):
        self.emit("metric", step=step, split=split, **values)

    def checkpoint(self, step, path, **extra):
        self.emit("checkpoint", step=step, path=path, **extra)

    def log(self, message, level="info"):
        self.emit("log", level=level, message=message)

    def error(self, kind, message, hint=None):
        self.emit("error", kind=kind, message=message, hint=hint)

    def done(self, metrics=None, **extra):
        self.emit("done", metrics=metrics or {}, **extra)
