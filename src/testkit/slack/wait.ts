/**
 * Waits until `probe` returns something other than undefined. It is checked whenever a wake-up in
 * `wake` is called (the fakes call them after each request or frame) and every 20 ms besides, so a
 * probe may also watch state the fakes never touch (what a listener recorded). The error names
 * what was awaited, plus `detail()` (e.g. the calls seen so far).
 */
export function waitUntil<T>(probe: () => T | undefined, o: { timeoutMs: number; what: string; wake?: Set<() => void>; detail?: () => string }): Promise<T> {
  const now = probe();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      o.wake?.delete(check);
    };
    const check = () => {
      const v = probe();
      if (v === undefined) return;
      done();
      resolve(v);
    };
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      done();
      reject(new Error(`fake Slack: no ${o.what} within ${o.timeoutMs} ms${o.detail ? `; ${o.detail()}` : ''}`));
    }, o.timeoutMs);
    o.wake?.add(check);
  });
}
