/**
 * XTN (authorTelecommunication, intendedRecipient telecom) <-> FHIR ContactPoint.
 * Email: `^NET^Internet^address`; phone/fax: `^use^equipment^^^^^^^^^number` (XTN.12,
 * the unformatted number). Use codes: WPN work, PRN home; equipment PH phone, FX fax,
 * CP mobile phone. Other ContactPoint systems (url, pager, sms, other) have no XDS form
 * and are not written.
 */
import type { ContactPoint } from './fhir-types';
import { components, joinComponents } from './v2-components';

export function contactPointToXtn(cp: ContactPoint): string | undefined {
  const value = cp.value;
  if (typeof value !== 'string' || value === '') return undefined;
  if (cp.system === 'email') return joinComponents(['', 'NET', 'Internet', value]);
  if (cp.system !== 'phone' && cp.system !== 'fax') return undefined;
  const equipment = cp.system === 'fax' ? 'FX' : cp.use === 'mobile' ? 'CP' : 'PH';
  const use = cp.use === 'work' ? 'WPN' : cp.use === 'home' || cp.use === 'mobile' ? 'PRN' : undefined;
  return joinComponents(['', use, equipment, '', '', '', '', '', '', '', '', value]);
}

export function xtnToContactPoint(xtn: string): ContactPoint | undefined {
  const c = components(xtn);
  const equipment = c[2];
  if (equipment === 'Internet' || equipment === 'X.400' || c[3]) {
    return c[3] ? { system: 'email', value: c[3] } : undefined;
  }
  const number = c[11] || c[0];
  if (!number) return undefined;
  const cp: ContactPoint = { system: equipment === 'FX' ? 'fax' : 'phone', value: number };
  if (equipment === 'CP') cp.use = 'mobile';
  else if (c[1] === 'WPN') cp.use = 'work';
  else if (c[1] === 'PRN') cp.use = 'home';
  return cp;
}
