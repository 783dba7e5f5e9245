# The polling loop of Trackio's agent guide (Step 3, "Polling via Python API"): `since` the newest
# timestamp seen, alerts newest first. As in the guide, `training_is_running`, `handle_error` and `time`
# come from the surrounding agent code (here: the test). Only the import is Trackflare's.
import trackflare as trackio
from datetime import datetime, timezone

api = trackio.Api()
last_check = None

while training_is_running():
    alerts = api.alerts(
        "cifar10-hparam-search",
        run="run-lr0.001-bs64",
        since=last_check,
    )
    if alerts:
        last_check = alerts[0]["timestamp"]  # alerts are sorted newest-first
        for a in alerts:
            print(f"[{a['level'].upper()}] {a['title']}: {a['text']}")

            if a["level"] == "error":
                handle_error(a)

    time.sleep(30)
