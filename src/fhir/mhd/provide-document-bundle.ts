/**
 * ITI-65 Provide Document Bundle: POST [base] with a transaction Bundle. The mapping turns
 * it into a Submission and the documents' bytes; provideAndRegister stores the bytes and
 * registers the metadata in one transaction, so a failure stores nothing. Success is
 * HTTP 200 with a transaction-response Bundle (one entry per request entry, each 201 with
 * its Location); a failure is the OperationOutcome of every problem, located in the Bundle.
 * The core writes the audit record: a success's in the same statement as the submission.
 */
import { submissionFacts } from '../../audit/submission-facts';
import { EventLoopTurns } from '../../event-loop-turns';
import { provideAndRegister } from '../../repository/provide-and-register';
import { documentContents } from './document-contents';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { patientLookup } from './patient-references';
import { attachWarnings, planLocator } from './provide-outcome';
import { registryIssues, registryStatus } from './registry-outcome';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import type { AuditedHandler } from '../http/audit';
import { mhdRequest } from '../http/services';

export const provideDocumentBundle: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const body = await readResourceBody(ctx, BODY_LIMITS.transaction, services.inputLimits, true);
  if (body.resourceType !== 'Bundle') {
    throw FhirHttpError.of(400, 'invalid', `POST ${req.base} takes a transaction Bundle (ITI-65), not a ${String(body.resourceType)}`);
  }
  // A Bundle at the entry limit takes ~150 ms to map: in slices, so other requests get turns.
  const turns = new EventLoopTurns();
  const lookup = await patientLookup(body, req.base, services, req.mapping, req.principal, () => turns.yield());
  const plan = await req.mapping.provideBundleInTurns(body, () => turns.yield(), { lookup });
  // Known before any check of the contents, so a refused submission is audited with its patient.
  audit.note(submissionFacts(plan.submission, services.repository.repositoryUniqueId));
  const locate = planLocator(plan);
  // Throws with the FHIR path of each refused attachment; the error middleware answers it.
  const contents = documentContents(plan);
  const result = await provideAndRegister({ registry: services.registry, repository: services.repository }, plan.submission, contents, req.principal, { audit });
  if (result.status === 'Failure') throw new FhirHttpError(registryStatus(result.errors), registryIssues(result.errors, locate));

  const response = req.mapping.transactionResponse(plan, result.ids, {
    repositoryUniqueId: services.repository.repositoryUniqueId,
    homeCommunityId: services.homeCommunityId,
  });
  attachWarnings(response, plan, [...plan.warnings, ...result.errors], locate);
  sendResource(ctx, 200, response);
};
