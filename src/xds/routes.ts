/**
 * HTTP routes of the XDS.b front end: POST a SOAP 1.2 message to /xds/registry or
 * /xds/repository; GET either with ?wsdl (or ?xsd=<name>) for its service description. The XCA
 * Responding Gateway (src/xca) is served the same way through soapRouter.
 */
import Router from '@koa/router';
import { Readable } from 'node:stream';
import type Koa from 'koa';
import type { Gateway } from '../gateway';
import { callerOf } from '../security/request-caller';
import type { Logger } from '../logger';
import type { XdsEndpoint } from './endpoint';
import { createXdsEndpoints, type XdsSecurity } from './endpoints';
import { WsdlDocuments } from './wsdl';

export const XDS_PATHS = { registry: '/xds/registry', repository: '/xds/repository' } as const;

type EndpointName = keyof typeof XDS_PATHS;

/** Service-description file name of each endpoint under wsdl/. */
const WSDL_NAMES: Record<EndpointName, string> = { registry: 'DocumentRegistry', repository: 'DocumentRepository' };

/** Replies up to this size are sent as one buffer. */
const COALESCE_BYTES = 64 * 1024;

/**
 * The reply body as Koa gets it. A small reply (every RegistryResponse and query result, plain
 * or MTOM) is collected into one buffer, which Node sends with its headers in one write; as a
 * stream it goes out through a stream pipeline in several writes (headers, MIME headers, root
 * part, closing delimiter). Measured on ITI-18 with 16 connections: 5-20 % more queries per
 * second. A reply that grows past the limit (ITI-43 documents) stays a stream, continuing after
 * the chunks already read.
 */
async function responseBody(body: Readable): Promise<Readable | Buffer> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return Buffer.concat(head, size);
    head.push(next.value);
    size += next.value.length;
    if (size > COALESCE_BYTES) return Readable.from(continued(head, iterator));
  }
}

async function* continued(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // The client went away mid-way: release what the writer holds open (repository streams).
    await rest.return?.();
  }
}

function soapPost(endpoint: XdsEndpoint): Koa.Middleware {
  return async (ctx) => {
    const r = await endpoint.handle(ctx.req, ctx.headers, callerOf(ctx));
    ctx.status = r.status;
    // Before the body: Koa only guesses a type for a stream body when none is set.
    ctx.set('Content-Type', r.contentType);
    ctx.body = await responseBody(r.body);
  };
}

/** A SOAP endpoint as HTTP serves it: where, which WSDL describes it (wsdl/<wsdlName>.wsdl), what answers. */
export interface SoapRoute {
  path: string;
  wsdlName: string;
  endpoint: XdsEndpoint;
}

/**
 * ?wsdl, ?WSDL, ?xsd=rim ... (query keys compared case-insensitively, as SOAP stacks differ). The
 * address is the one the client used (Host; X-Forwarded-* only when app.proxy trusts a proxy).
 */
function describe(documents: WsdlDocuments, route: SoapRoute): Koa.Middleware {
  return async (ctx) => {
    const query = new Map(Object.entries(ctx.query).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    const xsd = query.get('xsd');
    const text = query.has('wsdl') ? documents.wsdlFor(route.wsdlName, `${ctx.protocol}://${ctx.host}${route.path}`) : xsd !== undefined ? documents.schema(xsd) : undefined;
    if (text === undefined) {
      ctx.status = query.has('wsdl') || xsd !== undefined ? 404 : 405;
      ctx.type = 'text/plain';
      ctx.body = ctx.status === 404 ? 'no such service description document\n' : `POST SOAP 1.2 messages here; GET ${route.path}?wsdl for the WSDL\n`;
      if (ctx.status === 405) ctx.set('Allow', 'GET, POST');
      return;
    }
    ctx.type = 'text/xml; charset=utf-8';
    ctx.body = text;
  };
}

/** A router serving each endpoint: POST for SOAP messages, GET for its WSDL and schemas. */
export function soapRouter(routes: readonly SoapRoute[]): Router {
  const documents = WsdlDocuments.load(routes.map((r) => r.wsdlName));
  const router = new Router();
  for (const route of routes) {
    router.post(route.path, soapPost(route.endpoint));
    router.get(route.path, describe(documents, route));
  }
  return router;
}

export function xdsRouter(gw: Gateway, security: XdsSecurity, logger: Logger): Router {
  const endpoints = createXdsEndpoints(gw, security, (err, action) => logger.error({ err, action }, 'XDS.b request failed'));
  return soapRouter((Object.keys(XDS_PATHS) as EndpointName[]).map((name) => ({ path: XDS_PATHS[name], wsdlName: WSDL_NAMES[name], endpoint: endpoints[name] })));
}
