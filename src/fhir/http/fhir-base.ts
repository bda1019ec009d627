/**
 * The public base URL of the FHIR endpoint, which document URLs (attachment.url, ITI-68)
 * and Locations are built on. Configured (MhdOptions.publicBase) when the gateway sits
 * behind a proxy; otherwise taken from the request (scheme + Host), so a gateway on
 * port 0 in a test or on a LAN name answers with URLs its callers can follow.
 *
 * The MHD mapping is built for one base; one per base seen is kept, at most
 * MAX_CACHED_BASES, so a stream of made-up Host headers cannot grow memory.
 */
import type Koa from 'koa';
import { createMhdMapping, type MhdMapping } from '../mhd/mapping';
import { MAX_CACHED_BASES } from './limits';

export const FHIR_PATH = '/fhir';

/** Whether a request path is the FHIR endpoint's (the base itself or below it). */
export function isFhirPath(path: string): boolean {
  return path === FHIR_PATH || path.startsWith(`${FHIR_PATH}/`);
}

/** A Host header that can be put into a URL as is (name or IP literal, optional port). */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function fhirBaseOf(ctx: Koa.Context, publicBase?: string): string {
  if (publicBase) return publicBase.replace(/\/+$/, '');
  const host = HOST.test(ctx.host) ? ctx.host : 'localhost';
  return `${ctx.protocol}://${host}${FHIR_PATH}`;
}

export class MappingsByBase {
  private readonly byBase = new Map<string, MhdMapping>();

  constructor(private readonly patientIdSystems: Record<string, string>) {}

  get(fhirBase: string): MhdMapping {
    let mapping = this.byBase.get(fhirBase);
    if (!mapping) {
      mapping = createMhdMapping({ patientIdSystems: this.patientIdSystems, fhirBase });
      if (this.byBase.size >= MAX_CACHED_BASES) this.byBase.delete(this.byBase.keys().next().value!);
      this.byBase.set(fhirBase, mapping);
    }
    return mapping;
  }
}
