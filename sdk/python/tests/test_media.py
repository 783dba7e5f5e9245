"""Image, Audio, Video, Table and Histogram: uploaded in the background before their entry, read back."""

import hashlib
import urllib.request
import warnings

import trackflare
from _helpers import rest

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
WAV = b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x03" * 300


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _download(server, project: str, file_path: str) -> bytes:
    req = urllib.request.Request(f"{server.url}/v1/projects/{project}/media/{file_path}", headers={"authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(req, timeout=60) as res:
        return res.read()


def test_media_values_are_stored_as_trackios_and_read_back(server, project, tmp_path):
    wav_path = tmp_path / "tone.wav"
    wav_path.write_bytes(WAV)
    run = trackflare.init(project=project, name="media", quiet=True)
    trackflare.log({"samples/pred": trackflare.Image(PNG, caption="step 0"), "loss": 1.0})
    trackflare.log(
        {
            "eval/table": trackflare.Table(columns=["id", "image"], data=[[1, trackflare.Image(PNG)], [2, None]]),
            "weights/hist": trackflare.Histogram([0, 1, 1, 2, 2, 2, 3], num_bins=3),
            "audio/tone": trackflare.Audio(wav_path, caption="440 Hz"),
            "video/clip": trackflare.Video(b"GIF89a" + b"\x00" * 50),
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trackflare.finish()
    assert [str(w.message) for w in caught] == []

    listed = trackflare.Api().media(project, run.id)
    assert [(m["name"], m["step"], m["kind"], m["content_type"], m["caption"]) for m in listed] == [
        ("audio/tone", 1, "audio", "audio/wav", "440 Hz"),
        ("eval/table", 1, "image", "image/png", None),
        ("samples/pred", 0, "image", "image/png", "step 0"),
        ("video/clip", 1, "video", "image/gif", None),
    ]
    snap = rest(server, "GET", f"/v1/projects/{project}/runs/{run.id}/snapshot?step=1")["metrics"]
    table = snap["eval/table"][0]["value"]
    assert table["_type"] == "trackio.table"
    assert table["_value"][0]["image"]["sha256"] == _sha(PNG)
    assert table["_value"][1] == {"id": 2, "image": None}
    assert snap["weights/hist"][0]["value"] == {"_type": "trackio.histogram", "bins": [0, 1, 2, 3], "values": [1, 2, 4]}
    assert [m["step"] for m in trackflare.Api().media(project, "media", name="samples/pred")] == [0]
    audio = snap["audio/tone"][0]["value"]
    assert _sha(_download(server, project, audio["file_path"])) == _sha(WAV)


def test_a_file_that_cannot_be_sent_becomes_none_with_a_warning(server, project):
    run = trackflare.init(project=project, name="bad-media", quiet=True)
    trackflare.log({"img": trackflare.Image("/nonexistent/x.png"), "loss": 2.0})
    trackflare.log({"img": trackflare.Image(b"<html></html>"), "loss": 3.0})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trackflare.finish()
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2 and all(m.startswith("[trackflare] dropped the image logged as 'img'") for m in messages)
    values = rest(server, "GET", f"/v1/projects/{project}/runs/{run.id}/metrics/loss")["values"]
    assert [v["value"] for v in values] == [2.0, 3.0]
