# A training script as Trackio's agent guide (Step 1) has an agent write it: alerts at every decision
# point. Simulated metrics; it ends on a divergence. Only the import is Trackflare's.
import trackflare as trackio
import time

trackio.init(
    project="cifar10-hparam-search",
    name="run-lr0.001-bs64",
    config={"learning_rate": 0.001, "batch_size": 64, "optimizer": "adamw", "epochs": 50, "weight_decay": 1e-4},
)
for epoch in range(50):
    train_loss = 2.0 / (epoch + 1) if epoch < 24 else 12.0
    val_loss, val_acc = train_loss * 1.1, min(0.99, 0.5 + epoch * 0.02)
    trackio.log({"train_loss": train_loss, "val_loss": val_loss, "val_accuracy": val_acc, "learning_rate": 0.001})
    if train_loss > 10.0:
        trackio.alert(title="Training diverged", text=f"train_loss={train_loss:.4f} at epoch {epoch}. Learning rate is likely too high.", level=trackio.AlertLevel.ERROR)
        break
    if epoch > 10 and epoch % 6 == 0:
        trackio.alert(title="Overfitting detected", text=f"train_loss={train_loss:.4f} vs val_loss={val_loss:.4f}.", level=trackio.AlertLevel.WARN)
    if val_acc > 0.93:
        trackio.alert(title="High accuracy reached", text=f"val_accuracy={val_acc:.4f} at epoch {epoch}.", level=trackio.AlertLevel.INFO)
    time.sleep(0.1)
trackio.alert(title="Training complete", text=f"Final val_loss={val_loss:.4f}, val_accuracy={val_acc:.4f}.", level=trackio.AlertLevel.INFO)
trackio.finish()
