import { invalidToken } from './errors';

/** Who a verified token speaks for: the claims the gateway's authorization and audit use. */
export interface TokenIdentity {
  issuer: string;
  /** sub (for client-credentials tokens: the client id) */
  subject: string;
  /** client_id / azp */
  clientId?: string;
  /** scope (space separated) or scp (array) */
  scopes: string[];
  /** Purpose of use: IUA `extensions.ihe_iua.purpose_of_use` (Coding objects {system, code}), or a top-level `purpose_of_use` claim (string code or array of codes / codings). */
  purposeOfUse: { code: string; system?: string; display?: string }[];
  /** SMART patient-context: `patient` claim, or IUA `extensions.ihe_iua.patient_id` / `resource_id`. Raw value as in the token (a FHIR Patient id, or a CX). */
  patient?: string;
  /** IUA subject_name / name */
  subjectName?: string;
  /** IUA subject_organization_id / subject_organization */
  organization?: { id: string; name?: string };
  /** IUA subject_role */
  role?: { code: string; system?: string; display?: string };
  /** IUA home_community_id */
  homeCommunityId?: string;
  expiresAt?: Date;
}

type Coding = { code: string; system?: string; display?: string };
type Claims = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const object = (v: unknown): Claims | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Claims) : undefined);

/**
 * A code as tokens carry it: a bare string, or a FHIR Coding ({system, code, display}).
 * Anything else is dropped rather than guessed at: a purpose of use or role the gateway
 * cannot read can only grant less, never more.
 */
function codingOf(v: unknown): Coding | undefined {
  const code = text(v);
  if (code) return { code };
  const o = object(v);
  const c = text(o?.code);
  if (!o || !c) return undefined;
  const system = text(o.system);
  const display = text(o.display);
  return { code: c, ...(system ? { system } : {}), ...(display ? { display } : {}) };
}

const codingsOf = (v: unknown): Coding[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(codingOf).filter((c): c is Coding => !!c);

function scopesOf(claims: Claims): string[] {
  const scope = claims.scope ?? claims.scp;
  // scope: RFC 8693/9068 space-separated string; scp: the array (or string) some servers emit.
  const list = typeof scope === 'string' ? scope.split(' ') : Array.isArray(scope) ? scope.filter((s): s is string => typeof s === 'string') : [];
  return [...new Set(list.filter((s) => s !== ''))];
}

/**
 * JWT claims or an RFC 7662 introspection response -> TokenIdentity. Both carry the same
 * claim names (RFC 9068 / IUA ITI-71 for JWTs, ITI-102 for introspection), so one mapping
 * serves both; `issuer` is passed in because an introspection response may omit `iss`.
 */
export function identityOf(claims: Claims, issuer: string): TokenIdentity {
  const clientId = text(claims.client_id) ?? text(claims.azp);
  const subject = text(claims.sub) ?? clientId;
  if (!subject) throw invalidToken('token names no subject (sub) and no client (client_id)');

  const iua = object(object(claims.extensions)?.ihe_iua) ?? {};
  const purposeOfUse = codingsOf(iua.purpose_of_use !== undefined ? iua.purpose_of_use : claims.purpose_of_use);
  const patient = text(claims.patient) ?? text(iua.patient_id) ?? text(iua.resource_id);
  const subjectName = text(iua.subject_name) ?? text(claims.name);
  const organizationId = text(iua.subject_organization_id);
  const organizationName = text(iua.subject_organization);
  const role = codingsOf(iua.subject_role)[0];
  const homeCommunityId = text(iua.home_community_id);
  const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? new Date(claims.exp * 1000) : undefined;

  return {
    issuer,
    subject,
    ...(clientId ? { clientId } : {}),
    scopes: scopesOf(claims),
    purposeOfUse,
    ...(patient ? { patient } : {}),
    ...(subjectName ? { subjectName } : {}),
    ...(organizationId ? { organization: { id: organizationId, ...(organizationName ? { name: organizationName } : {}) } } : {}),
    ...(role ? { role } : {}),
    ...(homeCommunityId ? { homeCommunityId } : {}),
    ...(exp ? { expiresAt: exp } : {}),
  };
}
