/**
 * What the MHD handlers work with: the core services and the per-request view of them
 * (the FHIR base the caller reached, the mapping built on it, the caller's Principal).
 */
import type { NcpIdentification } from '../../bridges/ncpeh/outbound/ncp-identification';
import type Koa from 'koa';
import type { AuditTrail } from '../../audit/audit-trail';
import type { EreceptBridge } from '../../bridges/erecept/erecept-bridge';
import type { Principal } from '../../domain/principal';
import type { AccessPolicy } from '../../security/authorize';
import type { Gateway } from '../../gateway';
import { principalOf } from '../../security/request-caller';
import type { Registry } from '../../registry/registry';
import type { RemoteReadDeps } from '../../remote-documents/remote-document-reader';
import type { RepositoryService } from '../../repository/repository-service';
import type { MhdMapping } from '../mhd/mapping';
import { fhirBaseOf, MappingsByBase } from './fhir-base';
import { DEFAULT_FHIR_INPUT_LIMITS, type FhirInputLimits } from './limits';
import type { Subscriptions } from '../../subscriptions/subscriptions';
import type { NotificationRenderer } from '../../subscriptions/notification';
import { NotificationBundles } from '../subscriptions/notification-bundle';

export interface MhdOptions {
  /** Public base URL of the FHIR endpoint (e.g. https://gw.example.cz/fhir) when behind a proxy; default: from the request. */
  publicBase?: string;
  /**
   * Foreign patients' identification at other countries' NCPs ($ncp-identify), built by the
   * composition root (main.ts) when NCPEH_SIGNING_* is set: the bridge speaks XDS.b/XCA
   * messages, so the gateway core does not hold it.
   */
  ncpeh?: NcpIdentification;
}

export interface MhdServices {
  registry: Registry;
  repository: RepositoryService;
  /** ATNA: each request's audit scope, received events (ITI-20) and their search (ITI-81). */
  audit: AuditTrail;
  homeCommunityId: string;
  /** FHIR identifier system -> patient assigning authority OID. */
  patientIdSystems: Record<string, string>;
  /** Assigning authorities the registry accepts patient IDs of. */
  patientAuthorities: readonly string[];
  mappings: MappingsByBase;
  publicBase?: string;
  /** What the security layer allows beyond scopes (emergency access). */
  accessPolicy: AccessPolicy;
  /** Structural limits of request bodies (depth, elements, Bundle entries). */
  inputLimits: FhirInputLimits;
  /** The eRecept bridge to SÚKL's CÚER; absent when not configured (its routes answer 501). */
  erecept?: EreceptBridge;
  /** Other communities (directory, fan-out, transport) and the cache of their documents: searches and reads routed by homeCommunityId. */
  remote?: RemoteReadDeps;
  /** MHD_DEFAULT_COMMUNITIES: who a search without `hcid` asks. */
  defaultCommunities?: 'local' | 'all';
  /** Foreign patients' identification at other countries' NCPs ($ncp-identify); absent when not configured (501). */
  ncpeh?: NcpIdentification;
  /** DSUBm subscriptions (ITI-110/113/114) and the Bundles their notifications are sent as. */
  subscriptions: Subscriptions;
  notifications: NotificationRenderer;
}

export function mhdServices(gw: Gateway, options: MhdOptions = {}): MhdServices {
  const { config } = gw;
  const mappings = new MappingsByBase(config.profile.patientIdSystems);
  return {
    registry: gw.registry,
    repository: gw.repository,
    audit: gw.audit.trail,
    homeCommunityId: config.homeCommunityId,
    patientIdSystems: config.profile.patientIdSystems,
    patientAuthorities: config.acceptedPatientAuthorities,
    mappings,
    accessPolicy: { emergencyAccess: config.security.emergencyAccess },
    inputLimits: { ...DEFAULT_FHIR_INPUT_LIMITS, maxBundleEntries: config.fhirMaxBundleEntries, maxXmlBytes: config.fhirXmlMaxBytes },
    remote: {
      directory: gw.communities.directory,
      fanOut: gw.communities.fanOut,
      retrieval: gw.communities.retrieval,
      cache: gw.remoteDocuments,
    },
    defaultCommunities: config.mhdDefaultCommunities,
    subscriptions: gw.subscriptions,
    notifications: new NotificationBundles({ registry: gw.registry, mappings }),
    ...(options.publicBase ? { publicBase: options.publicBase } : {}),
    ...(gw.erecept ? { erecept: gw.erecept } : {}),
    ...(options.ncpeh ? { ncpeh: options.ncpeh } : {}),
  };
}

export interface MhdRequest {
  /** FHIR base URL as this caller reaches it, no trailing slash. */
  base: string;
  mapping: MhdMapping;
  principal: Principal;
}

export function mhdRequest(ctx: Koa.Context, services: MhdServices): MhdRequest {
  const base = fhirBaseOf(ctx, services.publicBase);
  return { base, mapping: services.mappings.get(base), principal: principalOf(ctx) };
}

export type MhdHandler = (ctx: Koa.Context, services: MhdServices) => Promise<void>;

/** A path parameter of the matched route (@koa/router puts them on ctx.params). */
export function routeParam(ctx: Koa.Context, name: string): string {
  const params = (ctx as unknown as { params?: Record<string, string> }).params;
  return params?.[name] ?? '';
}
