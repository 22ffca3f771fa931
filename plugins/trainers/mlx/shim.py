"""trainer/mlx's shim: LoRA/DoRA training with mlx-lm's own functions, reporting JSON-lines events.

Embedded in the ctxc binary and written into the run folder, run as `python mlx_train.py job.json`.
It follows mlx_lm.lora's run()/train_model() step by step (load, load_dataset, freeze,
linear_to_lora_layers, build_schedule, Adam, tuner.trainer.train with a callback, evaluate) and
adds only what ctxc needs (see ../shared/reference/backends.md, "Update 2026-12-01"):
- events on the original stdout (ctxc_events moves mlx-lm's rich table to stderr = train.log);
- a NaN/inf loss stops training (mlx-lm has no check) with a hint to lower the learning rate;
- np.random and mx.random are seeded (train() seeds nothing), and each epoch's batch order is
  seeded by (seed, epoch), so a resumed run sees the same batches as an uninterrupted one;
- checkpoints every save_every iterations hold the adapter AND the optimizer state and the
  iteration (mlx-lm saves neither), so a resume continues the schedule where it stopped;
- a resumed adapter is validated (names, shapes) before load_weights(strict=False).
"""
import json
import math
import os
import sys
import traceback
from types import SimpleNamespace

from ctxc_events import Events

MIN_MLX_LM = (0, 30, 0)
INSTALL_HINT = "pip install -U 'mlx-lm>=0.30' (in this repo: npm run setup:python), or point the stage's `python` option / CTXC_PYTHON at a Python that has it"
OOM_MARKERS = ("Insufficient Memory", "Resource limit", "out of memory", "std::bad_alloc")


class Failure(Exception):
    """A failure the user can fix: becomes an `error` event with a hint."""

    def __init__(self, kind, message, hint=None):
        super().__init__(message)
        self.kind, self.hint = kind, hint


def version_tuple(text):
    parts = []
    for p in text.split(".")[:3]:
        digits = "".join(c for c in p if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts + [0] * (3 - len(parts)))


def import_backend():
    try:
        import mlx.core as mx
        import mlx_lm
    except ImportError as e:
        raise Failure("missing_package", f"cannot import mlx-lm with {sys.executable}: {e}", INSTALL_HINT)
    version = getattr(mlx_lm, "__version__", "0")
    if version_tuple(version) < MIN_MLX_LM:
        need = ".".join(map(str, MIN_MLX_LM))
        raise Failure("old_package", f"mlx-lm {version} is older than {need}, the oldest trainer/mlx supports", INSTALL_HINT)
    try:
        import yaml  # noqa: F401 (mlx-lm's own dependency; config.yaml is written with it)
        import rich  # noqa: F401 (mlx-lm's TrainUI needs it but does not declare it)
    except ImportError as e:
        raise Failure("missing_package", f"mlx-lm's training UI needs a package that is missing: {e}", "pip install rich pyyaml")
    return mx, mlx_lm


def check_model_folder(model):
    """A local path must be a model folder; anything else is left to load() (a Hugging Face id)."""
    looks_local = model.startswith(("/", "./", "../", "~")) or os.path.exists(model)
    if not looks_local:
        return
    path = os.path.expanduser(model)
    if not os.path.isdir(path):
        raise Failure("model_missing", f"model folder {path} does not exist", "check the stage's `model` (a folder relative to the pipeline file, or a Hugging Face id such as mlx-community/Qwen3-4B-Instruct-2507-4bit)")
    names = os.listdir(path)
    if "config.json" not in names or not any(n.endswith(".safetensors") for n in names):
        raise Failure("not_a_model", f"{path} is not an MLX/Hugging Face model folder (it needs config.json and *.safetensors weights)", "point `model` at a folder with config.json, the tokenizer files and *.safetensors (e.g. from `hf download mlx-community/Qwen3-4B-Instruct-2507-4bit --local-dir models/qwen3-4b`), or use a Hugging Face id")


def mlx_args(job, n_train):
    """The mlx_lm.lora config (CONFIG_DEFAULTS' keys) for this job; also written as config.yaml."""
    o = job["options"]
    batches_per_epoch = max(1, n_train // o["batch_size"])
    iters = o["iters"] if o.get("iters") else int(math.ceil(o["epochs"] * batches_per_epoch))
    lora = {"rank": o["rank"], "scale": o["scale"], "dropout": o["dropout"]}
    if o.get("keys"):
        lora["keys"] = list(o["keys"])
    args = {
        "model": job["model"], "train": True, "test": True, "data": job["data"],
        "fine_tune_type": o["fine_tune_type"], "optimizer": "adam", "optimizer_config": {"adam": {}},
        "mask_prompt": o["mask_prompt"], "num_layers": o["num_layers"], "batch_size": o["batch_size"],
        "iters": iters, "val_batches": o["val_batches"], "learning_rate": o["learning_rate"],
        "steps_per_report": o["steps_per_report"], "steps_per_eval": o["steps_per_eval"],
        "grad_accumulation_steps": o["grad_accumulation"], "adapter_path": job["adapter_dir"],
        "save_every": o["save_every"], "test_batches": o["test_batches"], "max_seq_length": o["max_seq_length"],
        "grad_checkpoint": o["grad_checkpoint"], "seed": o["seed"], "lora_parameters": lora,
        "lr_schedule": None, "resume_adapter_file": None, "trust_remote_code": False,
    }
    if o["lr_schedule"] == "cosine":
        warmup = o["warmup"] if o.get("warmup") is not None else int(round(0.05 * iters))
        warmup = min(warmup, max(iters - 1, 0))
        args["lr_schedule"] = {"name": "cosine_decay", "arguments": [o["learning_rate"], max(iters - warmup, 1), o["learning_rate"] * o["min_lr_ratio"]], "warmup": warmup, "warmup_init": 0.0}
    return args, batches_per_epoch


def write_yaml(path, args):
    import yaml

    head = (
        "# The mlx_lm.lora config this run used. Reproduce it by hand with:\n"
        "#   mlx_lm.lora -c config.yaml --adapter-path /tmp/reproduced\n"
        "# (without --adapter-path it overwrites this run's adapter). ctxc seeds each epoch's batch\n"
        "# order by (seed, epoch) for exact resumes; mlx_lm.lora draws one stream, so batches differ.\n"
    )
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(head + yaml.safe_dump(args, sort_keys=True))
    os.replace(tmp, path)


def keep_trainable(dataset, max_seq_length, events, split):
    """Processed (tokens, offset) rows, without rows whose target is cut off entirely by
    max_seq_length (with mask_prompt a batch of only such rows has a 0/0 = NaN loss)."""
    from mlx_lm.tuner.datasets import CacheDataset

    cached = CacheDataset(dataset)
    rows = [cached[i] for i in range(len(cached))]
    kept = [r for r in rows if r[1] < min(len(r[0]), max_seq_length) - 1]
    if len(kept) < len(rows):
        events.log(f"{split}: {len(rows) - len(kept)} of {len(rows)} rows have no target token within max_seq_length = {max_seq_length} (prompt too long); they are left out — raise max_seq_length to keep them", "warn")
    return kept


def epoch_seeded_batches(base, seed, batches_per_epoch, skip):
    """mlx-lm's iterate_batches, with each training epoch's order seeded by (seed, epoch) and the
    first `skip` batches (already trained before a resume) passed over. Evaluation (loop=False)
    is seeded by `seed`, so every validation sees the same batches."""
    import numpy as np

    def iterate(dataset, batch_size, max_seq_length, loop=False, comm_group=None, **_):
        if not loop:
            np.random.seed(seed)
            yield from base(dataset=dataset, batch_size=batch_size, max_seq_length=max_seq_length, loop=False, comm_group=comm_group)
            return
        epoch, to_skip = divmod(skip, batches_per_epoch)
        while True:
            np.random.seed(seed * 100003 + epoch)
            for batch in base(dataset=dataset, batch_size=batch_size, max_seq_length=max_seq_length, loop=False, comm_group=comm_group):
                if to_skip:
                    to_skip -= 1
                    continue
                yield batch
            epoch += 1

    return iterate


def main(job_path):
    events = Events()
    with open(job_path) as f:
        job = json.load(f)
    try:
        run(job, events)
    except Failure as e:
        events.error(e.kind, str(e), e.hint)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 (classified, then reported with the traceback in train.log)
        traceback.print_exc()
        text = f"{type(e).__name__}: {e}"
        if any(m in text for m in OOM_MARKERS):
            events.error("oom", text, None)
        else:
            events.error("exception", text, None)
        sys.exit(1)


def run(job, events):
    mx, mlx_lm = import_backend()
    import mlx.nn as nn  # noqa: F401
    import mlx.optimizers as optim
    import numpy as np
    from mlx.utils import tree_flatten, tree_map_with_path
    from mlx_lm.tuner.callbacks import TrainingCallback
    from mlx_lm.tuner.datasets import load_dataset
    from mlx_lm.tuner.trainer import TrainingArgs, evaluate, iterate_batches, train
    from mlx_lm.tuner.utils import build_schedule, linear_to_lora_layers
    from mlx_lm.utils import load, save_config

    metal = bool(mx.metal.is_available()) if hasattr(mx, "metal") else False
    versions = {"mlx": getattr(mx, "__version__", "?"), "mlx-lm": mlx_lm.__version__}
    o = job["options"]
    check_model_folder(job["model"])

    train_file = os.path.join(job["data"], "train.jsonl")
    if not os.path.exists(train_file) or not any(line.strip() for line in open(train_file)):
        raise Failure("too_few_rows", f"the training split {train_file} has no rows", "the dataset step made no training pairs: check the stages before the trainer (`ctxc inspect`) and their rejections")

    np.random.seed(o["seed"])
    mx.random.seed(o["seed"])
    model, tokenizer = load(job["model"])
    if not getattr(tokenizer, "chat_template", None):
        raise Failure("no_chat_template", f"the tokenizer of {job['model']} has no chat template, so chat rows cannot be rendered", "use an instruct/chat model (e.g. mlx-community/Qwen3-4B-Instruct-2507-4bit), not a base model")

    ns = SimpleNamespace(data=job["data"], train=True, test=True, mask_prompt=o["mask_prompt"], hf_dataset=False)
    train_raw, valid_raw, test_raw = load_dataset(ns, tokenizer)
    train_set = keep_trainable(train_raw, o["max_seq_length"], events, "train")
    valid_set = keep_trainable(valid_raw, o["max_seq_length"], events, "valid") if len(valid_raw) else []
    test_set = keep_trainable(test_raw, o["max_seq_length"], events, "test") if len(test_raw) else []
    if len(train_set) < o["batch_size"]:
        raise Failure("too_few_rows", f"the training split has {len(train_set)} usable rows, fewer than batch_size = {o['batch_size']}", f"lower batch_size to {max(1, len(train_set))} or less, or make more training pairs")
    if valid_set and len(valid_set) < o["batch_size"]:
        events.log(f"valid: {len(valid_set)} rows, fewer than batch_size = {o['batch_size']}: no validation loss", "warn")
        valid_set = []

    args, batches_per_epoch = mlx_args(job, len(train_set))
    total = args["iters"]
    resume = job.get("resume")
    offset = resume["iteration"] if resume else 0
    if offset >= total:
        offset = total

    model.freeze()
    n_layers = len(model.layers)
    if o["num_layers"] > n_layers:
        raise Failure("num_layers", f"num_layers = {o['num_layers']} but {job['model']} has {n_layers} layers", f"set num_layers to {n_layers} or less (-1 = all)")
    linear_to_lora_layers(model, o["num_layers"], args["lora_parameters"], use_dora=o["fine_tune_type"] == "dora")

    os.makedirs(job["adapter_dir"], exist_ok=True)
    os.makedirs(job["checkpoint_dir"], exist_ok=True)
    write_yaml(job["config_yaml"], args)
    save_config(dict(args), os.path.join(job["adapter_dir"], "adapter_config.json"))

    lr = build_schedule(args["lr_schedule"]) if args["lr_schedule"] else o["learning_rate"]
    optimizer = optim.Adam(learning_rate=lr)
    if resume:
        load_checkpoint(mx, model, optimizer, resume, tree_flatten, tree_map_with_path)
        events.log(f"resuming from the checkpoint at iteration {offset} of {total}")

    events.start("mlx", versions, pid=os.getpid(), device="metal" if metal else "cpu", total=total, resumed_from=offset,
                 rows={"train": len(train_set), "valid": len(valid_set), "test": len(test_set)},
                 trainable_parameters=sum(v.size for _, v in tree_flatten(model.trainable_parameters())))

    save_every = o["save_every"]
    report_every = math.gcd(o["steps_per_report"], save_every)
    last = {}

    class Callback(TrainingCallback):
        def on_train_loss_report(self, info):
            it = offset + info["iteration"]
            loss = info["train_loss"]
            if not math.isfinite(loss):
                raise Failure("nan_loss", f"the training loss became {loss} at iteration {it}", f"lower learning_rate (now {o['learning_rate']}), e.g. to {o['learning_rate'] / 10:g}; check the data for empty targets")
            last.update(train_loss=loss, tokens_per_sec=info["tokens_per_second"], peak_memory_gb=info["peak_memory"], learning_rate=info["learning_rate"])
            events.metric(it, "train", loss=loss, learning_rate=info["learning_rate"], tokens_per_sec=info["tokens_per_second"],
                          iterations_per_sec=info["iterations_per_second"], trained_tokens=info["trained_tokens"], peak_memory_gb=info["peak_memory"], total=total)
            if it % save_every == 0 and it < total:
                save_checkpoint(mx, model, optimizer, job, it, tree_flatten, events)

        def on_val_loss_report(self, info):
            it = offset + info["iteration"]
            loss = info["val_loss"]
            if not math.isfinite(loss):
                raise Failure("nan_loss", f"the validation loss became {loss} at iteration {it}", f"lower learning_rate (now {o['learning_rate']}), e.g. to {o['learning_rate'] / 10:g}")
            last["val_loss"] = loss
            events.metric(it, "valid", loss=loss, seconds=info["val_time"], total=total)

    if offset < total:
        training_args = TrainingArgs(
            batch_size=o["batch_size"], iters=total - offset, val_batches=o["val_batches"],
            steps_per_report=report_every, steps_per_eval=o["steps_per_eval"],
            steps_per_save=total + 1,  # ctxc saves (with the optimizer state) from the callback
            adapter_file=os.path.join(job["adapter_dir"], "adapters.safetensors"),
            max_seq_length=o["max_seq_length"], grad_checkpoint=o["grad_checkpoint"],
            grad_accumulation_steps=o["grad_accumulation"],
        )
        batches = epoch_seeded_batches(iterate_batches, o["seed"], batches_per_epoch, offset)
        train(model=model, optimizer=optimizer, train_dataset=train_set, val_dataset=valid_set or None,
              args=training_args, iterate_batches=batches, training_callback=Callback())
    events.checkpoint(total, os.path.join(job["adapter_dir"], "adapters.safetensors"), final=True)

    metrics = {k: v for k, v in last.items()}
    metrics["iterations"] = total
    if test_set:
        bs = min(o["batch_size"], len(test_set))
        test_loss = evaluate(model=model, dataset=test_set, batch_size=bs, num_batches=o["test_batches"], max_seq_length=o["max_seq_length"])
        metrics["test_loss"] = test_loss
        metrics["test_ppl"] = math.exp(test_loss) if test_loss < 700 else float("inf")
        events.metric(total, "test", loss=test_loss, ppl=metrics["test_ppl"], total=total)
    events.done(metrics)


def save_checkpoint(mx, model, optimizer, job, it, tree_flatten, events):
    """Adapter (mlx-lm's names: NNNNNNN_adapters.safetensors + adapters.safetensors) and the
    optimizer state, then latest.json last: a kill mid-save leaves the previous checkpoint valid."""
    adapter = dict(tree_flatten(model.trainable_parameters()))
    ckpt = os.path.join(job["adapter_dir"], f"{it:07d}_adapters.safetensors")
    mx.save_safetensors(ckpt, adapter)
    mx.save_safetensors(os.path.join(job["adapter_dir"], "adapters.safetensors"), adapter)
    opt_file = os.path.join(job["checkpoint_dir"], f"{it:07d}_optimizer.safetensors")
    mx.save_safetensors(opt_file, dict(tree_flatten(optimizer.state)))
    latest = os.path.join(job["checkpoint_dir"], "latest.json")
    with open(latest + ".tmp", "w") as f:
        json.dump({"iteration": it, "adapter": ckpt, "optimizer": opt_file}, f)
    previous = None
    if os.path.exists(latest):
        with open(latest) as f:
            previous = json.load(f).get("optimizer")
    os.replace(latest + ".tmp", latest)
    # Only the newest optimizer state is kept (it is twice the adapter's size); every adapter
    # checkpoint stays, as mlx_lm.lora keeps them.
    if previous and previous != opt_file and os.path.exists(previous):
        os.remove(previous)
    events.checkpoint(it, ckpt, optimizer=opt_file)


def load_checkpoint(mx, model, optimizer, resume, tree_flatten, tree_map_with_path):
    """Load a checkpoint's adapter after checking every tensor's name and shape against the
    model's trainable parameters (load_weights(strict=False) would ignore a mismatch)."""
    weights = mx.load(resume["adapter"])
    params = dict(tree_flatten(model.trainable_parameters()))
    bad = [n for n, w in weights.items() if n not in params or params[n].shape != w.shape]
    missing = [n for n in params if n not in weights]
    if bad or missing:
        raise Failure("bad_checkpoint", f"checkpoint {resume['adapter']} does not match the model's LoRA layers ({len(bad)} unexpected, {len(missing)} missing tensors)", "the options changed since it was saved; delete the run folder to start over")
    model.load_weights(list(weights.items()), strict=False)
    optimizer.init(model.trainable_parameters())
    saved = mx.load(resume["optimizer"])
    fresh = dict(tree_flatten(optimizer.state))
    if set(saved) != set(fresh):
        raise Failure("bad_checkpoint", f"optimizer state {resume['optimizer']} does not match the model's LoRA layers", "the options changed since it was saved; delete the run folder to start over")
    # Same tree, saved leaves (step, learning_rate, Adam's m and v): the schedule continues.
    optimizer.state = tree_map_with_path(lambda path, x: saved[path], optimizer.state)


if __name__ == "__main__":
    main(sys.argv[1])
