document.getElementById("app")!.textContent = "Trackflare";
