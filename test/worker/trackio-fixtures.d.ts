// Vite's `?raw` imports: the recorded Trackio transcripts are bundled into the test as text
// (workerd tests have no file system).
declare module "*.jsonl?raw" {
  const text: string;
  export default text;
}
