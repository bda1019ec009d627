import client from 'prom-client';
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
