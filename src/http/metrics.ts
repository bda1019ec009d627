import client from 'prom-client';
import type { CommunityHealth } from '../communities/community-health';
import { withTimeout } from '../timeout';

/** How long one gauge read on scrape may take (it asks the database or Redis). */
const SCRAPE_BUDGET_MS = 1_000;

/** Prometheus metrics of one gateway process; a fresh registry per app keeps tests independent. */
export class GatewayMetrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  readonly submissions: client.Counter<'status'>;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new client.Histogram({
      name: 'hie_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [this.registry],
    });
    this.submissions = new client.Counter({
      name: 'hie_registry_submissions_total',
      help: 'Registry submissions by response status',
      labelNames: ['status'],
      registers: [this.registry],
    });
  }

  /**
   * Remote communities: call durations by community and outcome (histogram), and on scrape each
   * one's circuit (0 closed, 1 half-open, 2 open), last answer latency and failed calls.
   */
  observeCommunities(health: CommunityHealth, known: () => string[]): void {
    const calls = new client.Histogram({
      name: 'hie_community_call_duration_seconds',
      help: 'Calls to remote communities by community and outcome',
      labelNames: ['community', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    health.onCall((community, outcome, seconds) => calls.observe({ community, outcome }, seconds));
    const CIRCUIT = { closed: 0, 'half-open': 1, open: 2 } as const;
    const states = async () => health.states(known());
    this.gaugeOnScrape('hie_community_circuit_state', 'Circuit of each remote community: 0 closed, 1 half-open, 2 open', ['community'], async (set) => {
      for (const s of await states()) set({ community: s.homeCommunityId }, CIRCUIT[s.circuit]);
    });
    this.gaugeOnScrape('hie_community_last_latency_seconds', 'Latency of the last answer of each remote community', ['community'], async (set) => {
      for (const s of await states()) if (s.lastLatencyMs !== undefined) set({ community: s.homeCommunityId }, s.lastLatencyMs / 1000);
    });
    this.gaugeOnScrape('hie_community_errors', 'Failed calls to each remote community since start', ['community'], async (set) => {
      for (const s of await states()) set({ community: s.homeCommunityId }, s.errors);
    });
  }

  /** A gauge read on scrape (e.g. job queue depth), so /metrics never shows stale counts. */
  gaugeOnScrape(name: string, help: string, labelNames: string[], collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>): void {
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        // A dependency that is down or frozen leaves this gauge out of the scrape rather than hanging or failing /metrics.
        await withTimeout(collect((labels, value) => this.set(labels, value)), SCRAPE_BUDGET_MS, name).catch(() => undefined);
      },
    });
  }
}
