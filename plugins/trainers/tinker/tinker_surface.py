"""The part of the `tinker` SDK that ctxc's Tinker shim uses, declared in ONE place.

Every SDK call in shim.py goes through `call(obj, "Class.method", **kwargs)` (keyword arguments
only) and every field it reads through `field(obj, "Class.field")`. Both refuse a name that is not
declared here, so the shim cannot use the SDK behind this list's back; and the contract test
(test/plugins/trainers/tinker-contract.test.ts) imports the REAL installed `tinker` and checks each
entry: the class exists, the method accepts exactly these keyword names (and needs no others), it is
not marked deprecated, and each field exists. An SDK change then breaks a test, not a user's run.

Keys: "Class" is a constructor (tinker.Class), "Class.method" a method or classmethod,
"Class.field" in FIELDS an attribute of a response object. Classes are looked up on `tinker`,
then on `tinker.types`.
"""

# callable -> the keyword arguments the shim may pass to it
CALLS = {
    "RestClient": [],
    "RestClient.get_server_capabilities": [],
    "RestClient.get_external_weights_urls": ["tinker_path"],
    "RestClient.delete_checkpoint_from_tinker_path": ["tinker_path"],
    "ServiceClient": ["user_metadata"],
    "ServiceClient.create_lora_training_client": [
        "base_model", "rank", "seed", "train_mlp", "train_attn", "train_unembed", "user_metadata",
    ],
    "ServiceClient.create_training_client_from_state_with_optimizer": ["path", "user_metadata"],
    "ServiceClient.close": ["status", "detail"],
    "TrainingClient.get_tokenizer": [],
    "TrainingClient.forward": ["data", "loss_fn"],
    "TrainingClient.forward_backward": ["data", "loss_fn"],
    "TrainingClient.optim_step": ["optim_params"],
    "TrainingClient.save_state": ["name"],
    "TrainingClient.save_weights_for_sampler": ["name"],
    "TrainingClient.save_weights_external": ["name", "ttl_seconds"],
    "APIFuture.result": [],
    "BackcompatTrainingClientFuture.result": [],
    "ModelInput.from_ints": ["tokens"],
    "Datum": ["model_input", "loss_fn_inputs"],
    "AdamParams": ["learning_rate", "beta1", "beta2", "eps", "weight_decay", "grad_clip_norm"],
    "TensorData.tolist": [],
}

# response field -> read by the shim
FIELDS = [
    "GetServerCapabilitiesResponse.supported_models",
    "SupportedModel.model_name",
    "SupportedModel.trainable",
    "ForwardBackwardOutput.loss_fn_outputs",
    "SaveWeightsResponse.path",
    "SaveWeightsForSamplerResponse.path",
    "SaveWeightsExternalResponse.path",
    "ExternalWeightsUrlsResponse.urls",
]


class SurfaceError(Exception):
    """The shim used an SDK name that tinker_surface.py does not declare (a ctxc bug)."""


def call(obj, key, **kwargs):
    """Call `key` (declared in CALLS) on obj with keyword arguments only."""
    allowed = CALLS.get(key)
    if allowed is None:
        raise SurfaceError(f"{key} is not declared in tinker_surface.CALLS")
    extra = sorted(set(kwargs) - set(allowed))
    if extra:
        raise SurfaceError(f"{key}: keyword(s) {extra} are not declared in tinker_surface.CALLS")
    parts = key.split(".")
    target = getattr(obj, parts[-1])
    return target(**kwargs)


def field(obj, key):
    """Read a response field declared in FIELDS."""
    if key not in FIELDS:
        raise SurfaceError(f"{key} is not declared in tinker_surface.FIELDS")
    return getattr(obj, key.split(".")[-1])
