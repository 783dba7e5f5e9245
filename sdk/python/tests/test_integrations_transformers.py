"""TrackflareCallback on a tiny Trainer (a model built from a config, nothing downloaded), with a user
callback that raises an alert through ``trackflare.alert``: run, config, metrics and alert read back."""

import pytest

transformers = pytest.importorskip("transformers", reason="transformers is not installed: bash .ci/run installs it (with torch and accelerate) into .cache/python-venv")
torch = pytest.importorskip("torch", reason="torch is not installed: bash .ci/run installs the CPU build into .cache/python-venv")
pytest.importorskip("accelerate", reason="accelerate is not installed (the Trainer needs it): bash .ci/run installs it")

import trackflare  # noqa: E402
from trackflare.integrations.transformers import TrackflareCallback  # noqa: E402


class AlertCallback(transformers.TrainerCallback):
    """As Trackio's guide writes one: alert from the user's own callback on what the Trainer logs."""

    def on_log(self, args, state, control, logs=None, **kwargs):
        loss = (logs or {}).get("loss")
        if loss is not None and state.global_step == 4:
            trackflare.alert(title="Training loss check", text=f"loss={loss:.4f} at step {state.global_step}.", level=trackflare.AlertLevel.WARN)

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        if metrics and metrics.get("eval_loss") is not None:
            trackflare.alert(title="Eval done", text=f"eval_loss={metrics['eval_loss']:.4f}", level="info")


class Tokens(torch.utils.data.Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randint(0, 40, (n, 8), generator=g)
        self.y = (self.x.sum(1) % 2).long()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(8, dtype=torch.long), "labels": self.y[i]}


def test_a_tiny_trainer_logs_its_run_config_metrics_and_the_users_alerts(server, project, tmp_path):
    config = transformers.BertConfig(vocab_size=40, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, max_position_embeddings=16, num_labels=2)
    model = transformers.BertForSequenceClassification(config)
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        project=project,
        run_name="tiny-bert",
        report_to="none",
        max_steps=6,
        per_device_train_batch_size=4,
        logging_steps=1,
        eval_strategy="steps",
        eval_steps=3,
        save_strategy="no",
        learning_rate=1e-3,
        use_cpu=True,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(model=model, args=args, train_dataset=Tokens(32), eval_dataset=Tokens(8), callbacks=[TrackflareCallback(quiet=True), AlertCallback()])
    trainer.train()
    assert trackflare.current_run() is None, "the callback finished its run"

    api = trackflare.Api()
    (run,) = list(api.runs(project))
    assert (run.name, run.status, run.last_step) == ("tiny-bert", "finished", 6)
    assert run.config["learning_rate"] == 1e-3 and run.config["hidden_size"] == 16 and run.config["max_steps"] == 6
    assert run.config["model/num_parameters"] == model.num_parameters()
    assert not any(k.startswith("_") for k in run.config)
    names = run.summary()["metrics"]
    assert {"train/loss", "train/learning_rate", "train/global_step", "eval/loss"} <= set(names)
    assert [p["step"] for p in run.metric("train/loss")] == [1, 2, 3, 4, 5, 6]
    assert [p["step"] for p in run.metric("eval/loss")] == [3, 6]
    alerts = run.alerts()
    assert [(a["title"], a["level"], a["step"]) for a in alerts] == [("Eval done", "info", 6), ("Training loss check", "warn", 4), ("Eval done", "info", 3)]
    assert alerts[1]["text"].startswith("loss=")
