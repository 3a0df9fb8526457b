/**
 * Preloaded (`node --import`) into every Node process a supervisor starts
 * (npm run dev, npm test, the benchmarks; scripts/run-command.ts), and
 * inherited by their own Node children through NODE_OPTIONS.
 *
 * A supervisor that is killed outright (SIGKILL: an IDE's stop button, the
 * OOM killer) cannot stop what it started, and its children live in their own
 * process groups, so no signal reaches them. Each child therefore watches its
 * parent: once it is gone (the child was handed to another parent), it stops
 * itself as if told to (SIGTERM: its own clean shutdown runs), and exits for
 * sure a few seconds later. Plain JavaScript: it loads before any TypeScript
 * loader.
 */
const POLL_MS = 500;
const GRACE_MS = 4_000;

const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  setTimeout(() => process.exit(1), GRACE_MS).unref();
  process.kill(process.pid, "SIGTERM");
}, POLL_MS);
// The watch alone never keeps a process alive.
watch.unref();
