console.log("trackflare");
