# "Comparing Runs" of Trackio's agent guide: alert counts per run of the sweep. Only the import is Trackflare's.
import trackflare as trackio

api = trackio.Api()
runs = api.runs("auto-hparam-search")

for run in runs:
    alerts = run.alerts()
    errors = [a for a in alerts if a["level"] == "error"]
    warns = [a for a in alerts if a["level"] == "warn"]
    infos = [a for a in alerts if a["level"] == "info"]
    print(f"{run.name}: {len(errors)} errors, {len(warns)} warnings, {len(infos)} info")
