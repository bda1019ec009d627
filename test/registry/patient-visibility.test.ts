// Who may read which fed Patient is the registry's decision (MHD Patient read and search ask it):
// a caller bound to one patient sees that patient alone; others see every patient.
import assert from 'node:assert/strict';
import { SYSTEM_PRINCIPAL, type Principal } from '../../src/domain/principal';
import type { Registry } from '../../src/registry/registry';
import { describeEachStore } from '../support/databases';
import { patientCx } from '../support/metadata-builders';
import { withFreshPatient } from '../support/registry-fixture';

describeEachStore('registry: Patient visibility', (ctx) => {
  let registry: Registry;
  let patient: string;
  withFreshPatient(ctx, (r, p) => {
    registry = r;
    patient = p;
  });

  it('shows a caller bound to one patient only that patient; an unbound caller every patient', async () => {
    const other = patientCx();
    await registry.registerPatient(other);
    const boundToPatient: Principal = { subject: 'p', patientId: patient, authenticatedBy: 'token' };
    assert.equal((await registry.getPatient(patient, boundToPatient))?.patientId, patient);
    assert.equal(await registry.getPatient(other, boundToPatient), undefined);
    assert.equal((await registry.getPatient(other, SYSTEM_PRINCIPAL))?.patientId, other);
  });
});
