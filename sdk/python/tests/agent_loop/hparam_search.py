# The shape of Trackio's agent guide, "Full Example: Autonomous Hyperparameter Search": simulated runs
# with alerts at each decision point, then the alerts of each run decide the next config. Written for
# Trackio; the only Trackflare-specific line is the import.
import trackflare as trackio
import random
import time


def run_experiment(config):
    run = trackio.init(project="auto-hparam-search", config=config)
    lr = config["learning_rate"]
    best_val_loss = float("inf")
    patience = 0
    for epoch in range(config["epochs"]):
        noise = random.gauss(0, lr * 10)
        train_loss = max(0.01, 1.0 / (epoch + 1) + noise)
        val_loss = train_loss + random.uniform(0, 0.3)
        val_acc = max(0, min(1, 1.0 - val_loss + random.uniform(-0.05, 0.05)))
        trackio.log({"train_loss": train_loss, "val_loss": val_loss, "val_accuracy": val_acc})
        if train_loss > 5.0:
            trackio.alert(title="Training diverged", text=f"train_loss={train_loss:.4f}, lr={lr}", level=trackio.AlertLevel.ERROR)
            break
        if val_loss < best_val_loss:
            best_val_loss = val_loss
            patience = 0
        else:
            patience += 1
            if patience >= 5:
                trackio.alert(title="Early stopping", text=f"Best val_loss={best_val_loss:.4f}", level=trackio.AlertLevel.WARN)
                break
        time.sleep(0.05)
    trackio.alert(
        title="Run complete",
        text=f"Final val_loss={val_loss:.4f}, val_acc={val_acc:.4f}, best_val_loss={best_val_loss:.4f}",
        level=trackio.AlertLevel.INFO,
    )
    trackio.finish()
    return run.name


def analyze_and_decide(api, project, run_name, config):
    alerts = api.alerts(project, run=run_name)
    new_config = dict(config)
    for alert in alerts:
        title = alert["title"].lower()
        if "diverged" in title:
            new_config["learning_rate"] *= 0.1
        elif "early stopping" in title:
            new_config["learning_rate"] *= 0.5
        elif "run complete" in title and "val_acc" in (alert.get("text") or ""):
            new_config["learning_rate"] *= 0.8
            new_config["epochs"] += 10
    return new_config


random.seed(1234)
api = trackio.Api()
project = "auto-hparam-search"
config = {"learning_rate": 0.01, "batch_size": 64, "epochs": 30}

for iteration in range(5):
    print(f"\n--- Iteration {iteration + 1} ---")
    print(f"Config: {config}")
    run_name = run_experiment(config)
    config = analyze_and_decide(api, project, run_name, config)
