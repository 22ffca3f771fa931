"""PEFT LoRA adapter (Tinker's download format) -> mlx-lm adapter folder. Embedded in ctxc and run
by `ctxc runs convert RUN --to mlx` with the chosen Python (mlx, mlx-lm, safetensors, numpy).

    python peft_to_mlx.py ADAPTER_DIR MODEL OUT_DIR

MODEL is the base model as mlx-lm loads it (a local folder or a Hugging Face id; only its
config.json is needed when it has no weights here). Target names come from the model's own
parameter tree: each PEFT module `…layers.<i>.<key>` must be a linear layer `<key>` of
`model.layers[i]`, and is written as `<that block's path>.<key>.lora_a|lora_b`. mlx-lm applies
one rank, one scale and one set of keys to the last N blocks, so anything else is refused with a
reason (rank/alpha patterns, modules_to_save, fan_in_fan_out, DoRA, biases, the LM head or
embeddings, MoE experts, layers that are not the last N, keys that differ between layers).

PEFT:   lora_A.weight [r, in], lora_B.weight [out, r], delta W = (alpha / r) * B @ A
        (alpha / sqrt(r) with use_rslora)
mlx-lm: lora_a [in, r] = A.T, lora_b [r, out] = B.T, y = x W.T + scale * (x @ lora_a) @ lora_b
"""
import json
import math
import os
import re
import sys
from pathlib import Path

from ctxc_events import Events

ev = Events()


class Refuse(Exception):
    def __init__(self, message, hint=None):
        super().__init__(message)
        self.hint = hint


PEFT_NAME = re.compile(r"^(?:base_model\.model\.)?(?P<path>.+)\.lora_(?P<ab>[AB])(?:\.(?P<adapter>[^.]+))?\.weight$")
LAYER = re.compile(r"(?:^|\.)layers\.(?P<i>\d+)\.(?P<key>.+)$")


def read_peft(adapter_dir):
    cfg_path, st_path = Path(adapter_dir) / "adapter_config.json", Path(adapter_dir) / "adapter_model.safetensors"
    if not cfg_path.exists() or not st_path.exists():
        raise Refuse(f"{adapter_dir} is not a PEFT adapter (needs adapter_config.json and adapter_model.safetensors)",
                     "convert a run whose adapter/ was downloaded from Tinker")
    cfg = json.loads(cfg_path.read_text())
    if str(cfg.get("peft_type", "LORA")).upper() != "LORA":
        raise Refuse(f"peft_type {cfg.get('peft_type')} is not LoRA")
    for key, why in (("rank_pattern", "per-module ranks"), ("alpha_pattern", "per-module alphas")):
        if cfg.get(key):
            raise Refuse(f"the adapter uses {key} ({why}); mlx-lm has one rank and one scale for all layers")
    if cfg.get("modules_to_save"):
        raise Refuse(f"the adapter fully trains modules_to_save {cfg['modules_to_save']}; an mlx-lm LoRA adapter cannot carry them")
    if cfg.get("fan_in_fan_out"):
        raise Refuse("the adapter has fan_in_fan_out = true (Conv1D-style weights); mlx-lm's linear layers are not stored that way")
    if cfg.get("use_dora"):
        raise Refuse("the adapter is DoRA; only plain LoRA adapters are converted")
    if cfg.get("bias", "none") != "none":
        raise Refuse(f"the adapter trains biases (bias = {cfg['bias']}); mlx-lm's LoRA has none")
    from safetensors.numpy import load_file
    return cfg, load_file(str(st_path))


def load_model_tree(spec):
    """The model as mlx-lm builds it; weights loaded lazily when present, else only the config."""
    from mlx_lm import utils
    path = Path(spec)
    if not path.exists():
        path = utils._download(spec, allow_patterns=["config.json"])
    if list(path.glob("*.safetensors")):
        model, _ = utils.load_model(path, lazy=True)
        return model
    config = utils.load_config(path)
    model_class, args_class = utils._get_classes(config)
    return model_class(args_class.from_dict(config))  # mlx arrays are lazy: nothing is allocated


def linear_dims(module):
    import mlx.nn as nn
    if isinstance(module, nn.QuantizedLinear):
        return module.weight.shape[0], module.scales.shape[1] * module.group_size
    if isinstance(module, nn.Linear):
        return module.weight.shape[0], module.weight.shape[1]
    return None


def convert(adapter_dir, model_spec, out_dir):
    import numpy as np
    cfg, tensors = read_peft(adapter_dir)
    r = int(cfg["r"])
    alpha = float(cfg.get("lora_alpha", r))
    scale = alpha / math.sqrt(r) if cfg.get("use_rslora") else alpha / r

    pairs = {}
    for name, t in tensors.items():
        m = PEFT_NAME.match(name)
        if not m:
            if re.search(r"lora_(embedding_)?[AB]|lora_magnitude", name):
                raise Refuse(f"tensor {name} is not a LoRA linear weight mlx-lm can load")
            raise Refuse(f"tensor {name} is not a LoRA weight (modules_to_save or a full layer?)")
        pairs.setdefault(m.group("path"), {})[m.group("ab")] = t
    unembed = [p for p in pairs if re.search(r"(unembed|lm_head|embed_tokens)", p)]
    if unembed:
        raise Refuse(f"the adapter has LoRA on the embedding / LM head ({', '.join(sorted(unembed))}); mlx-lm's LoRA covers only the transformer blocks",
                     "train with train_unembed = false (trainer/tinker's default) to get an adapter mlx-lm can load")
    experts = [p for p in pairs if re.search(r"\.experts\.|\.(w1|w2|w3)$", p)]
    if experts:
        raise Refuse(f"the adapter has per-expert MoE LoRA tensors ({', '.join(sorted(experts)[:3])}…); mlx-lm's switch layers take one LoRA per projection",
                     "convert a dense-model adapter, or merge it into the weights with the PEFT tooling")

    model = load_model_tree(model_spec)
    blocks = list(model.layers)
    block_paths = {id(mod): name for name, mod in model.named_modules()}
    n = len(blocks)
    per_layer = {}
    out = {}
    for path, ab in sorted(pairs.items()):
        if set(ab) != {"A", "B"}:
            raise Refuse(f"{path} has lora_{''.join(ab)} but not both lora_A and lora_B")
        lm = LAYER.search(path)
        if not lm:
            raise Refuse(f"LoRA on {path}, which is not inside a transformer block; mlx-lm applies LoRA to model.layers only")
        i, key = int(lm.group("i")), lm.group("key")
        if i >= n:
            raise Refuse(f"{path}: layer {i} does not exist in {model_spec} ({n} layers)", "convert against the adapter's own base model")
        modules = dict(blocks[i].named_modules())
        target = modules.get(key)
        dims = linear_dims(target) if target is not None else None
        if dims is None:
            known = sorted(k for k, mod in modules.items() if linear_dims(mod))
            raise Refuse(f"{path}: {key} is not a linear layer of block {i} in {model_spec} (its linear layers: {', '.join(known)})",
                         "convert against the adapter's own base model")
        a, b = ab["A"], ab["B"]
        out_dim, in_dim = dims
        if a.shape != (r, in_dim) or b.shape != (out_dim, r):
            raise Refuse(f"{path}: lora_A {tuple(a.shape)} / lora_B {tuple(b.shape)} do not fit a [{out_dim}, {in_dim}] layer at rank {r}",
                         "convert against the adapter's own base model")
        prefix = f"{block_paths[id(blocks[i])]}.{key}"
        out[f"{prefix}.lora_a"] = np.ascontiguousarray(a.T.astype(np.float32))
        out[f"{prefix}.lora_b"] = np.ascontiguousarray(b.T.astype(np.float32))
        per_layer.setdefault(i, set()).add(key)

    if not per_layer:
        raise Refuse("the adapter has no LoRA tensors")
    layers = sorted(per_layer)
    keys = per_layer[layers[0]]
    odd = [i for i in layers if per_layer[i] != keys]
    if odd:
        raise Refuse(f"layers differ in their LoRA modules (layer {layers[0]}: {sorted(keys)}, layer {odd[0]}: {sorted(per_layer[odd[0]])}); mlx-lm uses one set of keys for every layer")
    if layers != list(range(n - len(layers), n)):
        raise Refuse(f"LoRA is on layers {layers[0]}…{layers[-1]} of {n} with gaps or not at the end; mlx-lm adapts the last N layers only")

    from safetensors.numpy import save_file
    os.makedirs(out_dir, exist_ok=True)
    save_file(out, os.path.join(out_dir, "adapters.safetensors"))
    config = {
        "fine_tune_type": "lora",
        "num_layers": len(layers),
        "lora_parameters": {"rank": r, "scale": scale, "dropout": 0.0, "keys": sorted(keys)},
        "model": model_spec,
        "converted_from": {"format": "peft", "path": os.path.abspath(adapter_dir), "lora_alpha": alpha, "use_rslora": bool(cfg.get("use_rslora"))},
    }
    with open(os.path.join(out_dir, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return {"tensors": len(out), "num_layers": len(layers), "keys": sorted(keys), "rank": r, "scale": scale}


if __name__ == "__main__":
    try:
        import mlx_lm  # noqa: F401
    except ImportError as e:
        ev.error("missing_package", f"mlx-lm is not installed in {sys.executable} ({e})")
        sys.exit(2)
    try:
        ev.done(metrics={}, **convert(sys.argv[1], sys.argv[2], sys.argv[3]))
    except Refuse as e:
        ev.error("unsupported", str(e), e.hint)
        sys.exit(2)
