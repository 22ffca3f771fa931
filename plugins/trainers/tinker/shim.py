"""ctxc's Tinker training shim (embedded in the ctxc binary, written into the run folder and run
with the chosen Python). It drives the official `tinker` SDK (pinned 0.38) through
tinker_surface.py and speaks ctxc's JSON-lines events (ctxc_events.py) on stdout.

    python tinker_train.py tinker_config.json

The API key comes from TINKER_API_KEY in the environment only; it is never printed or written.
SIGTERM (Ctrl-C in ctxc, or the budget) finishes the step in flight, saves a state checkpoint
and exits 0 after a `stopped` event, so the next run resumes from that checkpoint.
"""
import difflib
import json
import math
import os
import random
import signal
import sys
import urllib.request

from ctxc_events import Events
from tinker_surface import call, field

ev = Events()
_stop = {"requested": False}


def _on_term(signum, frame):
    _stop["requested"] = True


signal.signal(signal.SIGTERM, _on_term)
signal.signal(signal.SIGINT, _on_term)


class ShimError(Exception):
    def __init__(self, kind, message, hint=None):
        super().__init__(message)
        self.kind, self.hint = kind, hint


def read_rows(path):
    rows = []
    if not path or not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def render(tokenizer, messages, max_len):
    """Tokens of the whole conversation and per-token loss weights: 1 on the last (assistant)
    message and what the template closes it with, 0 on the prompt. The prompt is the template
    with a generation prompt; the weights start where the two renderings stop agreeing."""
    if not messages or messages[-1].get("role") != "assistant":
        raise ShimError("bad_data", "every row needs messages ending with an assistant message")
    if not getattr(tokenizer, "chat_template", None):
        raise ShimError("no_chat_template", "the model's tokenizer has no chat template",
                        "use an instruct/chat model")
    kw = {"tokenize": False, "enable_thinking": False}
    full_text = tokenizer.apply_chat_template(messages, add_generation_prompt=False, **kw)
    prompt_text = tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, **kw)
    full = tokenizer.encode(full_text, add_special_tokens=False)
    prompt = tokenizer.encode(prompt_text, add_special_tokens=False)
    n = 0
    while n < min(len(full), len(prompt)) and full[n] == prompt[n]:
        n += 1
    full = full[:max_len]
    weights = [0.0 if i < n else 1.0 for i in range(len(full))]
    return full, weights


def make_datum(tinker, tokens, weights):
    # Next-token prediction: input tokens[:-1], targets tokens[1:], weights shifted the same way.
    model_input = call(tinker.ModelInput, "ModelInput.from_ints", tokens=tokens[:-1])
    return call(tinker, "Datum", model_input=model_input,
                loss_fn_inputs={"target_tokens": tokens[1:], "weights": weights[1:]})


def weighted_nll(output, weights_list):
    """-sum(logprobs * weights) / sum(weights) over a batch, and the weight total."""
    total, count = 0.0, 0.0
    outs = field(output, "ForwardBackwardOutput.loss_fn_outputs")
    for out, w in zip(outs, weights_list):
        lps = call(out["logprobs"], "TensorData.tolist")
        for lp, wt in zip(lps, w):
            total -= lp * wt
            count += wt
    return (total / count if count else float("nan")), count


def lr_at(cfg, step, total):
    base = cfg["learning_rate"]
    warm = cfg.get("warmup_steps", 0)
    if warm and step < warm:
        return base * (step + 1) / warm
    sched = cfg.get("lr_schedule", "linear")
    if sched == "constant" or total <= warm:
        return base
    frac = (step - warm) / max(1, total - warm)
    if sched == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * frac))
    return base * (1 - frac)  # linear to 0, as tinker-cookbook's default


def batches_for(n_rows, batch_size, epochs, seed):
    """The whole run's batches, fixed by the seed, so a resumed run sees the same order."""
    out = []
    for epoch in range(epochs):
        order = list(range(n_rows))
        random.Random(seed * 1000003 + epoch).shuffle(order)
        for i in range(0, n_rows, batch_size):
            chunk = order[i:i + batch_size]
            if len(chunk) == batch_size or i == 0:
                out.append(chunk)
    return out


def evaluate(tinker, tc, valid, cfg):
    if not valid:
        return None, 0
    bs = cfg["batch_size"]
    limit = cfg.get("val_batches") or 0
    total, count, tokens = 0.0, 0.0, 0
    for b, i in enumerate(range(0, len(valid), bs)):
        if limit > 0 and b >= limit:
            break
        chunk = valid[i:i + bs]
        out = call(call(tc, "TrainingClient.forward", data=[c[0] for c in chunk], loss_fn="cross_entropy"), "APIFuture.result")
        loss, w = weighted_nll(out, [c[2] for c in chunk])
        total += loss * w
        count += w
        tokens += sum(len(c[1]) for c in chunk)
    return (total / count if count else None), tokens


def download_adapter(tinker, rest, tc, dest):
    """Export the final weights in PEFT format and download every file into dest."""
    saved = call(call(tc, "TrainingClient.save_weights_external", name="ctxc-final", ttl_seconds=3600), "APIFuture.result")
    path = field(saved, "SaveWeightsExternalResponse.path")
    try:
        urls = field(call(call(rest, "RestClient.get_external_weights_urls", tinker_path=path), "APIFuture.result"), "ExternalWeightsUrlsResponse.urls")
        base = os.path.realpath(dest)
        os.makedirs(base, exist_ok=True)
        files = []
        for name, url in sorted(urls.items()):
            target = os.path.realpath(os.path.join(base, name))
            if not target.startswith(base + os.sep):
                raise ShimError("unsafe_path", f"the adapter archive names a file outside the folder: {name}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with urllib.request.urlopen(url, timeout=120) as r, open(target + ".part", "wb") as f:
                while True:
                    chunk = r.read(1 << 20)
                    if not chunk:
                        break
                    f.write(chunk)
            os.replace(target + ".part", target)
            files.append(name)
        return files
    finally:
        try:
            call(call(rest, "RestClient.delete_checkpoint_from_tinker_path", tinker_path=path), "APIFuture.result")
        except Exception as e:  # it expires after an hour anyway
            ev.log(f"could not delete the temporary export {path}: {e}", level="warn")


def main():
    cfg = json.load(open(sys.argv[1], encoding="utf-8"))
    try:
        import tinker
    except ImportError as e:
        raise ShimError("missing_package", f"the tinker package is not installed in {sys.executable} ({e})")
    if not os.environ.get("TINKER_API_KEY"):
        raise ShimError("missing_key", "TINKER_API_KEY is not set", "export TINKER_API_KEY=tml-… (from the Tinker console)")
    ev.start(backend="tinker", versions={"tinker": getattr(tinker, "__version__", "unknown")}, model=cfg["model"])

    rest = call(tinker, "RestClient")
    caps = call(call(rest, "RestClient.get_server_capabilities"), "APIFuture.result")
    models = [m for m in field(caps, "GetServerCapabilitiesResponse.supported_models")]
    trainable = [field(m, "SupportedModel.model_name") for m in models if field(m, "SupportedModel.trainable") is not False]
    trainable = [n for n in trainable if n]
    if cfg["model"] not in trainable:
        near = difflib.get_close_matches(cfg["model"], trainable, n=1, cutoff=0.3)
        hint = (f"did you mean {near[0]}? " if near else "") + "models Tinker trains now: " + ", ".join(trainable)
        raise ShimError("unknown_model", f"Tinker does not offer {cfg['model']} for training", hint)

    service = call(tinker, "ServiceClient", user_metadata={"created_by": "ctxc", "ctxc_run": cfg["run_id"]})
    status = "errored"
    try:
        resume = cfg.get("resume")
        if resume:
            fut = call(service, "ServiceClient.create_training_client_from_state_with_optimizer", path=resume["state_path"], user_metadata={"ctxc_run": cfg["run_id"]})
            ev.log(f"resuming from {resume['state_path']} (step {resume['step']})")
        else:
            fut = call(service, "ServiceClient.create_lora_training_client", base_model=cfg["model"], rank=cfg["rank"], seed=cfg["seed"],
                       train_mlp=cfg["train_mlp"], train_attn=cfg["train_attn"], train_unembed=cfg["train_unembed"], user_metadata={"ctxc_run": cfg["run_id"]})
        tc = call(fut, "BackcompatTrainingClientFuture.result")
        tokenizer = call(tc, "TrainingClient.get_tokenizer")

        def prepare(rows, split):
            out = []
            for r in rows:
                tokens, weights = render(tokenizer, r["messages"], cfg["max_seq_length"])
                if len(tokens) >= 2 and sum(weights[1:]) > 0:
                    out.append((make_datum(tinker, tokens, weights), tokens, weights[1:]))
            if len(out) < len(rows):
                ev.log(f"{split}: {len(rows) - len(out)} of {len(rows)} conversations have no answer tokens within max_seq_length = {cfg['max_seq_length']} and are left out", level="warn")
            return out

        train = prepare(read_rows(cfg["data"]["train"]), "train")
        valid = prepare(read_rows(cfg["data"].get("valid")), "valid")
        if len(train) < cfg["batch_size"]:
            raise ShimError("too_few_rows", f"{len(train)} usable training rows, fewer than batch_size = {cfg['batch_size']}", "lower batch_size or make more data")
        plan = batches_for(len(train), cfg["batch_size"], cfg["epochs"], cfg["seed"])
        total = min(cfg["steps"], len(plan)) if cfg.get("steps") else len(plan)
        start = resume["step"] if resume else 0
        ev.emit("plan", steps=total, start=start, train_rows=len(train), valid_rows=len(valid))
        adam = cfg["adam"]
        step = start
        last_train = None
        while step < total:
            if _stop["requested"]:
                break
            idx = plan[step]
            data = [train[i][0] for i in idx]
            lr = lr_at(cfg, step, total)
            optim = call(tinker, "AdamParams", learning_rate=lr, beta1=adam["beta1"], beta2=adam["beta2"], eps=adam["eps"],
                         weight_decay=adam["weight_decay"], grad_clip_norm=adam["grad_clip_norm"])
            # Submitted back to back: the service queues the optimizer step behind the gradients.
            fb = call(tc, "TrainingClient.forward_backward", data=data, loss_fn="cross_entropy")
            op = call(tc, "TrainingClient.optim_step", optim_params=optim)
            out = call(fb, "APIFuture.result")
            call(op, "APIFuture.result")
            loss, _ = weighted_nll(out, [train[i][2] for i in idx])
            step += 1
            tokens = sum(len(train[i][1]) for i in idx)
            last_train = loss
            ev.metric(step, "train", loss=loss, learning_rate=lr, tokens=tokens, total=total)
            if loss is None or (isinstance(loss, float) and math.isnan(loss)):
                raise ShimError("nan_loss", f"the training loss became NaN at step {step}", "lower learning_rate")
            if cfg.get("eval_every") and step % cfg["eval_every"] == 0 and step < total:
                vloss, vtok = evaluate(tinker, tc, valid, cfg)
                if vloss is not None:
                    ev.metric(step, "valid", loss=vloss, tokens=vtok)
            if cfg.get("save_every") and step % cfg["save_every"] == 0 and step < total:
                saved = call(call(tc, "TrainingClient.save_state", name=f"step-{step:06d}"), "APIFuture.result")
                ev.checkpoint(step, field(saved, "SaveWeightsResponse.path"), kind="state")
        if step < total:
            saved = call(call(tc, "TrainingClient.save_state", name=f"step-{step:06d}"), "APIFuture.result")
            ev.checkpoint(step, field(saved, "SaveWeightsResponse.path"), kind="state")
            ev.emit("stopped", step=step, total=total)
            status = "interrupted"
            return
        metrics = {}
        if last_train is not None:
            metrics["train_loss"] = last_train
        vloss, vtok = evaluate(tinker, tc, valid, cfg)
        if vloss is not None:
            metrics["val_loss"] = vloss
            ev.metric(step, "valid", loss=vloss, tokens=vtok)
        saved = call(call(tc, "TrainingClient.save_state", name="final"), "APIFuture.result")
        ev.checkpoint(step, field(saved, "SaveWeightsResponse.path"), kind="state")
        sampler = call(call(tc, "TrainingClient.save_weights_for_sampler", name="final"), "APIFuture.result")
        sampler_path = field(sampler, "SaveWeightsForSamplerResponse.path")
        files = download_adapter(tinker, rest, tc, cfg["adapter_dir"])
        status = "success"
        ev.done(metrics=metrics, sampler_path=sampler_path, adapter_files=files, steps=step)
    finally:
        try:
            call(call(service, "ServiceClient.close", status=status, detail=f"ctxc run {cfg['run_id']}"), "APIFuture.result")
        except Exception as e:
            ev.log(f"closing the Tinker session failed: {e}", level="warn")


if __name__ == "__main__":
    try:
        main()
    except ShimError as e:
        ev.error(e.kind, str(e), e.hint)
        sys.exit(2)
    except Exception as e:  # the SDK's own errors: name the class, keep the message
        name = type(e).__name__
        kind = {"AuthenticationError": "auth", "PermissionDeniedError": "auth", "BillingError": "billing",
                "RateLimitError": "rate_limit", "APIConnectionError": "connection", "NotFoundError": "not_found"}.get(name, "sdk_error")
        ev.error(kind, f"{name}: {e}")
        sys.exit(1)
