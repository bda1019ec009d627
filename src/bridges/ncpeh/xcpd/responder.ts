/**
 * ITI-55 Cross Gateway Patient Discovery, Responding Gateway side: a foreign NCP (or another
 * community) asks whether this community knows a patient, by identifiers and demographics; the
 * answer comes from the registry's patient identity feed (the patients ITI-104 fed, with their
 * Patient resource). A patient counts as found when one of the query's identifiers names them
 * and the query's birth date and gender agree with theirs.
 *
 * A query that cannot be served is answered in HL7 v3, not with a SOAP fault (ITI TF-2b
 * 3.55.4.2.3): acknowledgement AE with queryResponseCode QE for a malformed query, AE for an
 * outage. A request refused by the security layer never gets here (it is a WS-Security fault).
 */
import { serializeXml } from '../../../soap';
import { rejectionOf } from '../../../xds/registry-response';
import { failedResponse } from '../../../xds/audit';
import { XdsErrorCode } from '../../../domain/error-codes';
import type { XdsTransaction } from '../../../xds/actions';
import type { AuditedXdsHandler, XdsServices } from '../../../xds/handler';
import { demographicsAgree, demographicsOf } from './demographics';
import { cxOf, iiOfCx, XcpdQueryError, type DiscoveredPatient, type InstanceIdentifier, type PatientDiscoveryQuery, type PatientDiscoveryResult } from './model';
import { queryByParameterOf, readQuery } from './query-message';
import { writeResponse } from './response-message';
import { Outcome } from '../../../audit/audit-input';

const oidOf = (urn: string): string => urn.replace(/^urn:oid:/, '');

export function crossGatewayPatientDiscovery(services: XdsServices, transaction: XdsTransaction): AuditedXdsHandler {
  const community = oidOf(services.registry.options.homeCommunityId);
  const responder = { deviceId: community, communityId: community };

  return async (request, call) => {
    const now = new Date();
    const reply = (query: PatientDiscoveryQuery | undefined, result: PatientDiscoveryResult) => ({
      action: transaction.response,
      body: [writeResponse(query, result, { responder, now, ...(request.payload ? { queryByParameter: queryByParameterOf(request.payload) } : {}) })],
    });
    if (request.payload) call.audit.note({ query: { text: serializeXml(request.payload) } });

    let query: PatientDiscoveryQuery;
    try {
      query = readQuery(request.payload);
      if (query.identifiers.length === 0) throw new XcpdQueryError('the query names no patient identifier (livingSubjectId)', 'AnswerNotAvailable');
    } catch (err) {
      if (!(err instanceof XcpdQueryError)) throw err;
      await call.audit.failed(Outcome.MinorFailure, err.message);
      return reply(undefined, { code: 'QE', patients: [], error: { code: err.code, text: err.message } });
    }

    try {
      const cxs = query.identifiers.map(cxOf).filter((x): x is string => x !== undefined);
      const rows = await services.registry.discoverPatients(cxs, call.principal, call.audit, (row) => demographicsAgree(query.demographics, demographicsOf(row.resource)));
      const patients: DiscoveredPatient[] = rows.map((row) => ({ identifiers: [iiOfCx(row.patientId)].filter((x): x is InstanceIdentifier => x !== undefined), demographics: demographicsOf(row.resource) }));
      return reply(query, { code: patients.length > 0 ? 'OK' : 'NF', patients });
    } catch (err) {
      // The registry refused or is busy (anything else is a Receiver fault): an application error the caller may retry.
      const errors = rejectionOf(err);
      await failedResponse(call, errors);
      const busy = errors.some((e) => e.code === XdsErrorCode.XDSRegistryBusy);
      return reply(query, { code: 'AE', patients: [], error: { code: busy ? 'ResponderBusy' : 'InternalError', text: errors[0]?.context ?? 'registry error' } });
    }
  };
}
