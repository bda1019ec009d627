/**
 * A Subscription's filter criteria (the backport's filterCriteria, `DocumentReference?...`)
 * -> the subscription's filter in registry terms. DSUBm lets a DocumentReference topic filter
 * by the FindDocumentReferences parameters (patient, type, category, format, facility,
 * setting, security-label, event, author, status) and a List topic by patient,
 * designationType and status; each is parsed as the ITI-67/66 search parses it (one OR list
 * per parameter), so a filter means what the same search would.
 */
import { type SubscriptionFilter, type TopicDefinition } from '../../domain/subscription';
import type { Terminology } from '../mhd/mapping';
import { codeGroups } from '../mhd/search/codes';
import type { SearchContext } from '../mhd/search/context';
import { searchedPatient } from '../mhd/search/patient';
import { groupsOf, parseSearchParams, type ParsedSearch } from '../mhd/search/query-params';
import { invalidValue, notSupported, type SearchIssue } from '../mhd/search/search-error';
import { unescapeValue } from '../mhd/search/values';

const DOCUMENT_PARAMETERS = new Set(['patient', 'patient.identifier', 'type', 'category', 'format', 'facility', 'setting', 'security-label', 'event', 'author.given', 'author.family', 'status']);
const LIST_PARAMETERS = new Set(['patient', 'patient.identifier', 'designationType', 'status', 'code']);

const STATUS: Record<string, string> = { current: 'Approved', superseded: 'Deprecated', retired: 'Deprecated' };

function tokens(search: ParsedSearch, parameter: string, terminology: Terminology, warnings: SearchIssue[]): string[] | undefined {
  const groups = codeGroups(search, parameter, false, terminology, warnings);
  return groups?.[0]?.map((m) => (m.scheme ? `${m.scheme}|${m.code}` : `|${m.code}`));
}

function statuses(search: ParsedSearch): string[] | undefined {
  const groups = groupsOf(search, 'status');
  if (groups.length === 0) return undefined;
  if (groups.length > 1) throw notSupported('status', 'a filter names one list of statuses');
  return groups[0]!.values.map((v) => {
    const s = STATUS[unescapeValue(v)];
    if (!s) throw invalidValue('status', `"${v}" is not current, superseded or retired`);
    return s;
  });
}

function authors(search: ParsedSearch): string[] | undefined {
  const values = [...groupsOf(search, 'author.given'), ...groupsOf(search, 'author.family')].flatMap((g) => g.values.map((v) => unescapeValue(v).toLowerCase()));
  return values.length > 0 ? values : undefined;
}

/** The filter of `criteria` (with or without its `ResourceType?` prefix) on `topic`. */
export function parseFilterCriteria(criteria: string, topic: TopicDefinition, ctx: SearchContext): SubscriptionFilter {
  const question = criteria.indexOf('?');
  const prefix = question >= 0 ? criteria.slice(0, question) : '';
  if (prefix !== '' && prefix !== topic.resourceType) throw invalidValue('filterCriteria', `topic ${topic.url} filters ${topic.resourceType}, not ${prefix}`);
  const params = [...new URLSearchParams(question >= 0 ? criteria.slice(question + 1) : criteria)];
  const allowed = topic.resourceType === 'DocumentReference' ? DOCUMENT_PARAMETERS : LIST_PARAMETERS;
  for (const [name] of params) {
    if (!allowed.has(name.split(':')[0]!)) throw notSupported(name, `DSUBm topic ${topic.url} cannot filter by ${name}`);
  }
  const search = parseSearchParams(topic.resourceType, params, true);
  const warnings: SearchIssue[] = [];
  const patient = searchedPatient(search, ctx);
  if (patient && patient.length !== 1) throw invalidValue('patient', 'a filter names one patient');
  const filter: SubscriptionFilter = {};
  const put = <K extends keyof SubscriptionFilter>(key: K, value: SubscriptionFilter[K] | undefined) => {
    if (value !== undefined) filter[key] = value;
  };
  put('patientId', patient?.[0]);
  put('statuses', statuses(search));
  if (topic.resourceType === 'DocumentReference') {
    put('typeCodes', tokens(search, 'type', ctx.terminology, warnings));
    put('classCodes', tokens(search, 'category', ctx.terminology, warnings));
    put('formatCodes', tokens(search, 'format', ctx.terminology, warnings));
    put('facilityCodes', tokens(search, 'facility', ctx.terminology, warnings));
    put('settingCodes', tokens(search, 'setting', ctx.terminology, warnings));
    put('securityCodes', tokens(search, 'security-label', ctx.terminology, warnings));
    put('eventCodes', tokens(search, 'event', ctx.terminology, warnings));
    put('authors', authors(search));
  } else {
    put('eventCodes', tokens(search, 'designationType', ctx.terminology, warnings));
  }
  // A code of a system with no OID would match nothing: refused rather than a silent dead subscription.
  if (warnings.length > 0) throw invalidValue(warnings[0]!.expression ?? 'filterCriteria', warnings[0]!.diagnostics);
  return filter;
}
