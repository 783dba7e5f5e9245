"""``TrackflareCallback``: what Trackio's Transformers callback does, for this client.

It starts a run on train begin (project ``args.project`` or ``"huggingface"``, name ``args.run_name``,
``resume="allow"``, the config made of the model's config and the training arguments), logs every
``on_log`` with Trackio's prefixes (``train/``, ``eval/``, ``test/``) at ``state.global_step``, and finishes
at train end. The run is the current one, so ``trackflare.alert()`` works from any other callback::

    trainer = Trainer(model=model, args=TrainingArguments(report_to="none", ...),
                      callbacks=[TrackflareCallback(), MyAlertCallback()])
"""

from typing import Any, Dict, Optional

from transformers import TrainerCallback

from .. import _tracking
from ..run import Run

# Whole-run figures Transformers logs once at the end; Trackio's callback leaves them out of the series.
_SINGLE_VALUE = frozenset(("train_runtime", "train_samples_per_second", "train_steps_per_second", "train_loss", "total_flos"))


def rewrite_logs(d: Dict[str, Any]) -> Dict[str, Any]:
    out = {}
    for k, v in d.items():
        if k.startswith("eval_"):
            out["eval/" + k[5:]] = v
        elif k.startswith("test_"):
            out["test/" + k[5:]] = v
        else:
            out["train/" + k] = v
    return out


def _public(d: Dict[str, Any]) -> Dict[str, Any]:
    # Keys starting with '_' are reserved in a run's config (Trackio's rule); Transformers' are internal.
    return {k: v for k, v in d.items() if not str(k).startswith("_")}


class TrackflareCallback(TrainerCallback):  # type: ignore[misc]
    """Logs a ``Trainer``'s run to Trackflare. ``init_kwargs`` go to ``trackflare.init`` (``url``, ``token``,
    ``group``, ``quiet``…) and override the defaults taken from the training arguments."""

    def __init__(self, **init_kwargs: Any):
        self._init_kwargs = init_kwargs
        self.run: Optional[Run] = None

    def setup(self, args: Any, state: Any, model: Any) -> None:
        if not state.is_world_process_zero:
            return
        config: Dict[str, Any] = {}
        model_config = getattr(model, "config", None)
        if model_config is not None:
            config.update(model_config if isinstance(model_config, dict) else model_config.to_dict())
        config.update(args.to_dict())
        try:
            config["model/num_parameters"] = model.num_parameters()
        except AttributeError:
            pass
        kwargs: Dict[str, Any] = {
            "project": getattr(args, "project", None) or "huggingface",
            "name": getattr(args, "run_name", None),
            "resume": "allow" if getattr(args, "run_name", None) else "never",
            "config": _public(config),
        }
        kwargs.update(self._init_kwargs)
        self.run = _tracking.init(**kwargs)

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if self.run is None:
            self.setup(args, state, model)

    def on_log(self, args: Any, state: Any, control: Any, model: Any = None, logs: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if self.run is None:
            self.setup(args, state, model)
        if self.run is None or not logs:
            return
        metrics = rewrite_logs({k: v for k, v in logs.items() if k not in _SINGLE_VALUE})
        metrics["train/global_step"] = state.global_step
        self.run.log(metrics, step=state.global_step)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        run, self.run = self.run, None
        if run is None:
            return
        if _tracking.current_run() is run:
            _tracking.finish()
        else:
            run.finish()
