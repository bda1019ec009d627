// How long a gateway process stalls other clients while it handles one request: small GETs
// (/fhir/metadata, one at a time, 10 ms apart) run beside the action and their longest wait is
// kept; the gateway's own event-loop delay maximum (prom-client's
// nodejs_eventloop_lag_max_seconds, reset by each /metrics scrape) is read before and after.
// Used by the hostile-input tests and bench/heavy-input.ts.

export interface Stall<T> {
  result: T;
  /** The longest a probe request waited for its answer. */
  longestProbeMs: number;
  failedProbes: number;
  /** The gateway's event-loop delay maximum over the action (undefined if /metrics did not answer). */
  eventLoopLagMaxMs: number | undefined;
}

async function eventLoopLagMaxMs(baseUrl: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const value = /^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1];
    return value === undefined ? undefined : Math.round(Number(value) * 1000);
  } catch {
    return undefined;
  }
}

/** Runs `action` while probing `baseUrl`; see the file comment. */
export async function measureStall<T>(baseUrl: string, action: () => Promise<T>): Promise<Stall<T>> {
  await fetch(`${baseUrl}/fhir/metadata`).then((r) => r.arrayBuffer()); // warm: the capability statement is built once
  await eventLoopLagMaxMs(baseUrl); // the scrape resets the maximum
  let running = true;
  let longest = 0;
  let failed = 0;
  const probing = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${baseUrl}/fhir/metadata`).then((r) => r.arrayBuffer(), () => (failed += 1));
      longest = Math.max(longest, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const stop = async () => {
    running = false;
    await probing;
  };
  let result: T;
  try {
    result = await action();
  } finally {
    await stop();
  }
  return { result, longestProbeMs: Math.round(longest), failedProbes: failed, eventLoopLagMaxMs: await eventLoopLagMaxMs(baseUrl) };
}
