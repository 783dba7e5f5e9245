// Readable generated run names in Trackio's `adjective-noun-N` form.
const ADJECTIVES = ["dainty", "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "keen", "lively", "mellow", "nimble", "proud", "quiet", "rapid", "sunny", "swift", "tidy", "vivid", "witty", "bold", "crisp", "deft", "fresh"];
const NOUNS = ["sunset", "forest", "river", "meadow", "breeze", "canyon", "comet", "dawn", "ember", "galaxy", "harbor", "island", "lagoon", "maple", "nebula", "ocean", "pebble", "quartz", "ridge", "summit", "thunder", "valley", "willow", "zephyr"];

/** The first `adjective-noun-N` not in `taken`, N being the number of runs so far. */
export function generateRunName(taken: Set<string>, count: number): string {
  for (let n = count; ; n++) {
    const name = `${ADJECTIVES[n % ADJECTIVES.length]}-${NOUNS[(n * 7) % NOUNS.length]}-${n}`;
    if (!taken.has(name)) return name;
  }
}

export function newRunId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
