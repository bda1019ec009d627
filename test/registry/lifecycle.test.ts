import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AssociationType, AvailabilityStatus, type DocumentEntry, type Folder } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL, type Principal } from '../../src/domain/principal';
import { RegistryError } from '../../src/domain/registry-error';
import type { Submission } from '../../src/domain/submission';
import type { NewVersionOperation, UpdateRequest } from '../../src/registry/lifecycle-types';
import type { Registry } from '../../src/registry/registry';
import { fromRow } from '../../src/store/sql/registry-rows';
import { describeEachStore } from '../support/databases';
import { association, documentEntry, folder, patientCx, sha1, submission, submissionSet } from '../support/metadata-builders';
import { testRegistry, withFreshPatient } from '../support/registry-fixture';

const { Approved, Deprecated, Submitted } = AvailabilityStatus;

describeEachStore('registry lifecycle (ITI-57 update, ITI-62 delete)', (ctx) => {
  let registry: Registry;
  let patient: string;

  withFreshPatient(ctx, (r, p) => {
    registry = r;
    patient = p;
  });

  // --- fixtures, registered through the real submit path ---

  async function register(s: Submission): Promise<Record<string, string>> {
    const r = await registry.submit(s, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    return r.ids;
  }

  async function registeredDocument(p = patient): Promise<{ id: string; doc: DocumentEntry; setId: string }> {
    const doc = documentEntry(p);
    const s = submission(p, { documents: [doc] });
    const ids = await register(s);
    return { id: ids[doc.entryUuid]!, doc, setId: ids[s.submissionSet.entryUuid]! };
  }

  /** A document inside a folder, both registered by one submission. */
  async function documentInFolder(): Promise<{ docId: string; folderId: string; doc: DocumentEntry; f: Folder }> {
    const doc = documentEntry(patient);
    const f = folder(patient);
    const ids = await register(submission(patient, { documents: [doc], folders: [f], associations: [association(AssociationType.HasMember, f.entryUuid, doc.entryUuid)] }));
    return { docId: ids[doc.entryUuid]!, folderId: ids[f.entryUuid]!, doc, f };
  }

  function newDocumentVersion(doc: DocumentEntry, logicalId: string, previousVersion = 1, overrides: Partial<DocumentEntry> = {}): NewVersionOperation {
    return { object: { kind: 'DocumentEntry', ...doc, title: 'Opravená zpráva', ...overrides, entryUuid: 'NewVersion', logicalId }, previousVersion };
  }

  const update = (req: Omit<UpdateRequest, 'submissionSet'>, p = patient) => registry.updateDocumentSet({ submissionSet: submissionSet(p), ...req }, SYSTEM_PRINCIPAL);

  // --- reading the tables the way the stored-query engine will ---

  async function row(entryUuid: string): Promise<{ status: string; version: number; logical_id: string; metadata: unknown } | undefined> {
    const r = await ctx.db.query<{ status: string; version: number; logical_id: string; metadata: unknown }>(
      `SELECT status, version, logical_id, metadata FROM document_entries WHERE entry_uuid = $1
       UNION ALL SELECT status, version, logical_id, metadata FROM folders WHERE entry_uuid = $1`,
      [entryUuid],
    );
    return r.rows[0];
  }

  const statusOf = async (entryUuid: string) => (await row(entryUuid))?.status;

  /** FindDocuments-like: the patient's documents with the given status. */
  async function findDocuments(status: string, p = patient): Promise<string[]> {
    const r = await ctx.db.query<{ entry_uuid: string }>('SELECT entry_uuid FROM document_entries WHERE patient_id = $1 AND status = $2 ORDER BY seq', [p, status]);
    return r.rows.map((x) => x.entry_uuid);
  }

  async function associationsOf(sourceId: string): Promise<Array<{ entry_uuid: string; type: string; target_id: string; metadata: Record<string, unknown> }>> {
    const r = await ctx.db.query<{ entry_uuid: string; type: string; target_id: string; metadata: Record<string, unknown> }>(
      'SELECT entry_uuid, type, target_id, metadata FROM associations WHERE source_id = $1 ORDER BY seq',
      [sourceId],
    );
    return r.rows;
  }

  async function isMember(folderId: string, docId: string): Promise<boolean> {
    const r = await ctx.db.query('SELECT 1 FROM associations WHERE source_id = $1 AND target_id = $2 AND type = $3', [folderId, docId, AssociationType.HasMember]);
    return r.rowCount > 0;
  }

  /** Every registry row with its status (and folder times): a failed request must leave this unchanged. */
  async function snapshot(): Promise<string> {
    const r = await ctx.db.query<{ t: string }>(
      `SELECT string_agg(x, '|' ORDER BY x) AS t FROM (
         SELECT 'd' || entry_uuid || status AS x FROM document_entries
         UNION ALL SELECT 'f' || entry_uuid || status || coalesce(last_update_time, '') FROM folders
         UNION ALL SELECT 's' || entry_uuid || status FROM submission_sets
         UNION ALL SELECT 'a' || entry_uuid || status FROM associations) rows`,
    );
    return r.rows[0]!.t ?? '';
  }

  async function rejects(run: () => Promise<unknown>, code: string): Promise<RegistryError> {
    const before = await snapshot();
    try {
      await run();
    } catch (err) {
      assert.ok(err instanceof RegistryError, `expected a RegistryError, got ${String(err)}`);
      assert.ok(err.errors.some((e) => e.code === code), `expected ${code}, got ${JSON.stringify(err.errors)}`);
      assert.equal(await snapshot(), before, 'a rejected request changes nothing');
      return err;
    }
    return assert.fail(`expected ${code}, but the request succeeded`);
  }

  describe('status change (UpdateAvailabilityStatus)', () => {
    it('deprecates an approved DocumentEntry and records the change under a new SubmissionSet', async () => {
      const { id } = await registeredDocument();
      const r = await registry.changeAvailabilityStatus(submissionSet(patient), { target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }, SYSTEM_PRINCIPAL);
      assert.deepEqual(
        { kind: r.statusChanges[0]!.kind, entryUuid: r.statusChanges[0]!.entryUuid, version: r.statusChanges[0]!.version, patientId: r.statusChanges[0]!.patientId },
        { kind: 'DocumentEntry', entryUuid: id, version: 1, patientId: patient },
      );
      assert.equal(await statusOf(id), 'Deprecated');
      assert.deepEqual(await findDocuments('Approved'), []);
      assert.deepEqual(await findDocuments('Deprecated'), [id]);
      assert.equal(fromRow<DocumentEntry>((await row(id))!).availabilityStatus, Deprecated, 'the object a query returns carries the new status');

      const set = await ctx.db.query<{ patient_id: string; status: string }>('SELECT patient_id, status FROM submission_sets WHERE entry_uuid = $1', [r.submissionSet]);
      assert.deepEqual(set.rows[0], { patient_id: patient, status: 'Approved' });
      const [recorded, ...others] = await associationsOf(r.submissionSet);
      assert.equal(others.length, 0);
      assert.equal(recorded!.entry_uuid, r.statusChanges[0]!.association);
      assert.equal(recorded!.type, AssociationType.UpdateAvailabilityStatus);
      assert.equal(recorded!.target_id, id);
      assert.equal(recorded!.metadata.originalStatus, Approved);
      assert.equal(recorded!.metadata.newStatus, Deprecated);
    });

    it('approves a deprecated DocumentEntry again, named by its logicalID', async () => {
      const { id } = await registeredDocument();
      await update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] });
      await update({ statusChanges: [{ target: { logicalId: id }, originalStatus: Deprecated, newStatus: Approved }] });
      assert.equal(await statusOf(id), 'Approved');
      assert.deepEqual(await findDocuments('Approved'), [id]);
    });

    it('deprecates and re-approves a Folder', async () => {
      const f = folder(patient);
      const folderId = (await register(submission(patient, { documents: [], folders: [f] })))[f.entryUuid]!;
      const r = await update({ statusChanges: [{ target: { entryUuid: folderId }, originalStatus: Approved, newStatus: Deprecated }] });
      assert.equal(r.statusChanges[0]!.kind, 'Folder');
      assert.equal(await statusOf(folderId), 'Deprecated');
      await update({ statusChanges: [{ target: { entryUuid: folderId }, originalStatus: Deprecated, newStatus: Approved }] });
      assert.equal(await statusOf(folderId), 'Approved');
    });

    it('rejects an OriginalStatus that is not the current status (XDSMetadataUpdateError)', async () => {
      const { id } = await registeredDocument();
      await rejects(() => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Deprecated, newStatus: Approved }] }), 'XDSMetadataUpdateError');
      assert.equal(await statusOf(id), 'Approved');
    });

    it('rejects an unknown object (UnresolvedReferenceException)', async () => {
      await rejects(
        () => update({ statusChanges: [{ target: { entryUuid: 'urn:uuid:00000000-0000-4000-8000-00000000a001' }, originalStatus: Approved, newStatus: Deprecated }] }),
        'UnresolvedReferenceException',
      );
      await rejects(
        () => update({ statusChanges: [{ target: { logicalId: 'urn:uuid:00000000-0000-4000-8000-00000000a002' }, originalStatus: Approved, newStatus: Deprecated }] }),
        'UnresolvedReferenceException',
      );
    });

    for (const [originalStatus, newStatus] of [[Approved, Approved], [Deprecated, Deprecated], [Approved, Submitted], [Submitted, Approved]] as const) {
      it(`rejects ${originalStatus.split(':').pop()} -> ${newStatus.split(':').pop()} (XDSMetadataUpdateOperationError)`, async () => {
        const { id } = await registeredDocument();
        await rejects(() => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus, newStatus }] }), 'XDSMetadataUpdateOperationError');
      });
    }

    it('rejects a status change of a SubmissionSet (XDSMetadataUpdateOperationError)', async () => {
      const { setId } = await registeredDocument();
      await rejects(() => update({ statusChanges: [{ target: { entryUuid: setId }, originalStatus: Approved, newStatus: Deprecated }] }), 'XDSMetadataUpdateOperationError');
    });

    it('changes only the latest version: an older entryUUID is refused, the logicalID reaches the latest', async () => {
      const { id, doc } = await registeredDocument();
      const v2 = (await update({ newVersions: [newDocumentVersion(doc, id)] })).newVersions[0]!.entryUuid;
      await rejects(() => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Deprecated, newStatus: Approved }] }), 'XDSMetadataUpdateError');
      const r = await update({ statusChanges: [{ target: { logicalId: id }, originalStatus: Approved, newStatus: Deprecated }] });
      assert.equal(r.statusChanges[0]!.entryUuid, v2);
      assert.equal(r.statusChanges[0]!.version, 2);
      assert.equal(await statusOf(v2), 'Deprecated');
    });

    it("rejects a SubmissionSet of another patient than the object's (XDSPatientIdDoesNotMatch)", async () => {
      const { id } = await registeredDocument();
      const other = patientCx();
      await registry.registerPatient(other);
      await rejects(() => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] }, other), 'XDSPatientIdDoesNotMatch');
    });

    it('rejects an update for an unknown patient (XDSUnknownPatientId)', async () => {
      const { id } = await registeredDocument();
      await rejects(() => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] }, patientCx()), 'XDSUnknownPatientId');
    });
  });

  describe('a caller bound to one patient (ITI-57)', () => {
    let other: string;
    /** Bound to `other`, with a SubmissionSet about `other`: the registry refuses nothing on the SubmissionSet. */
    const boundToOther = () => ({ subject: 'clinician', patientId: other });
    const updateAs = (req: Omit<UpdateRequest, 'submissionSet'>, principal: Principal) =>
      registry.updateDocumentSet({ submissionSet: submissionSet(other), ...req }, principal);
    /** The error with the named id replaced, to compare the answers for two different ids. */
    const shape = (err: RegistryError, id: string) => JSON.stringify(err.errors).split(id).join('<id>');
    const unknownUuid = () => `urn:uuid:${randomUUID()}`;

    beforeEach(async () => {
      other = patientCx();
      await registry.registerPatient(other);
    });

    it('names another patient\'s object in a status change: the answer of an unregistered one (UnresolvedReferenceException)', async () => {
      const { id, doc } = await registeredDocument();
      await update({ newVersions: [newDocumentVersion(doc, id)] });
      const deprecate = (target: { entryUuid: string } | { logicalId: string }) => updateAs({ statusChanges: [{ target, originalStatus: Approved, newStatus: Deprecated }] }, boundToOther());
      const missing = unknownUuid();
      const unknown = shape(await rejects(() => deprecate({ entryUuid: missing }), 'UnresolvedReferenceException'), missing);
      // The latest version, an older one (no "not the latest version") and the logicalID alike.
      assert.equal(shape(await rejects(() => deprecate({ logicalId: id }), 'UnresolvedReferenceException'), id), unknown);
      assert.equal(shape(await rejects(() => deprecate({ entryUuid: id }), 'UnresolvedReferenceException'), id), unknown);
      // The patient's SubmissionSet is not another patient's object either.
      const { setId } = await registeredDocument();
      assert.equal(shape(await rejects(() => deprecate({ entryUuid: setId }), 'UnresolvedReferenceException'), setId), unknown);
    });

    it('names another patient\'s object in a new version: the answer of an unregistered logicalID (XDSMetadataUpdateError)', async () => {
      const { id, doc } = await registeredDocument();
      const asOther = (logicalId: string) => updateAs({ newVersions: [newDocumentVersion(doc, logicalId, 1, { patientId: other, sourcePatientId: other })] }, boundToOther());
      // The error's location is the request's new entryUUID, a fresh one per request.
      const withoutLocation = (err: RegistryError, named: string) => shape(new RegistryError(err.errors.map(({ location: _, ...e }) => e)), named);
      const missing = unknownUuid();
      const unknown = withoutLocation(await rejects(() => asOther(missing), 'XDSMetadataUpdateError'), missing);
      assert.equal(withoutLocation(await rejects(() => asOther(id), 'XDSMetadataUpdateError'), id), unknown);
    });

    it('a fully privileged caller still learns the patient mismatch the TF asks for', async () => {
      const { id, doc } = await registeredDocument();
      await rejects(() => updateAs({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] }, SYSTEM_PRINCIPAL), 'XDSPatientIdDoesNotMatch');
      await rejects(() => updateAs({ newVersions: [newDocumentVersion(doc, id, 1, { patientId: other, sourcePatientId: other })] }, SYSTEM_PRINCIPAL), 'XDSPatientIDReconciliationError');
    });

    it('updates its own patient\'s objects', async () => {
      const { id } = await registeredDocument(other);
      const r = await updateAs({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] }, boundToOther());
      assert.equal(r.statusChanges[0]!.entryUuid, id);
    });
  });

  describe('new version (Update DocumentEntry / Folder metadata)', () => {
    it('registers version 2 under a new entryUUID, deprecates version 1, records SubmissionSet + HasMember with PreviousVersion', async () => {
      const { id, doc } = await registeredDocument();
      const r = await registry.createNewVersion(submissionSet(patient), newDocumentVersion(doc, id), SYSTEM_PRINCIPAL);
      const v = r.newVersions[0]!;
      assert.match(v.entryUuid, /^urn:uuid:/);
      assert.notEqual(v.entryUuid, id);
      assert.deepEqual(r.ids, { SubmissionSet: r.submissionSet, NewVersion: v.entryUuid });
      assert.deepEqual(
        { logicalId: v.logicalId, version: v.version, previousEntryUuid: v.previousEntryUuid, previousVersion: v.previousVersion, patientId: v.patientId },
        { logicalId: id, version: 2, previousEntryUuid: id, previousVersion: 1, patientId: patient },
      );

      const stored = await row(v.entryUuid);
      assert.deepEqual([stored!.status, stored!.version, stored!.logical_id], ['Approved', 2, id]);
      assert.equal(fromRow<DocumentEntry>(stored!).title, 'Opravená zpráva');
      assert.equal(await statusOf(id), 'Deprecated');
      assert.deepEqual(await findDocuments('Approved'), [v.entryUuid], 'a query for approved documents sees only the new version');

      const [member, ...others] = await associationsOf(r.submissionSet);
      assert.equal(others.length, 0);
      assert.equal(member!.entry_uuid, v.memberAssociation);
      assert.equal(member!.type, AssociationType.HasMember);
      assert.equal(member!.target_id, v.entryUuid);
      assert.equal(member!.metadata.previousVersion, 1);
      assert.equal(member!.metadata.submissionSetStatus, 'Original');
    });

    it('chains versions: version 3 replaces version 2', async () => {
      const { id, doc } = await registeredDocument();
      const v2 = (await update({ newVersions: [newDocumentVersion(doc, id)] })).newVersions[0]!;
      const v3 = (await update({ newVersions: [newDocumentVersion(doc, id, 2, { title: 'Třetí verze' })] })).newVersions[0]!;
      assert.equal(v3.version, 3);
      assert.equal(v3.previousEntryUuid, v2.entryUuid);
      const versions = await ctx.db.query<{ version: number; status: string }>('SELECT version, status FROM document_entries WHERE logical_id = $1 ORDER BY version', [id]);
      assert.deepEqual(versions.rows.map((x) => `${x.version}:${x.status}`), ['1:Deprecated', '2:Deprecated', '3:Approved']);
    });

    it('rejects a PreviousVersion that is not the latest version (XDSMetadataVersionError)', async () => {
      const { id, doc } = await registeredDocument();
      await update({ newVersions: [newDocumentVersion(doc, id)] });
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 1)] }), 'XDSMetadataVersionError');
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 7)] }), 'XDSMetadataVersionError');
    });

    it('rejects an update of an object that is not registered (XDSMetadataUpdateError)', async () => {
      const doc = documentEntry(patient);
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, 'urn:uuid:00000000-0000-4000-8000-00000000b001')] }), 'XDSMetadataUpdateError');
    });

    it('rejects a changed uniqueId (XDSMetadataUpdateError)', async () => {
      const { id, doc } = await registeredDocument();
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 1, { uniqueId: `${doc.uniqueId}.1` })] }), 'XDSMetadataUpdateError');
    });

    const documentChanges: Array<[string, Partial<DocumentEntry>]> = [
      ['hash', { hash: sha1('other bytes') }],
      ['size', { size: 999_999 }],
      ['repositoryUniqueId', { repositoryUniqueId: '2.25.1' }],
      ['objectType', { objectType: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248' }],
    ];
    for (const [name, change] of documentChanges) {
      it(`rejects a changed ${name} (XDSMetadataUpdateError)`, async () => {
        const { id, doc } = await registeredDocument();
        const err = await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 1, change)] }), 'XDSMetadataUpdateError');
        assert.match(err.message, new RegExp(name));
      });
    }

    it('rejects a dropped hash: absent is a change too', async () => {
      const { id, doc } = await registeredDocument();
      const op = newDocumentVersion(doc, id);
      delete (op.object as Partial<DocumentEntry>).hash;
      await rejects(() => update({ newVersions: [op] }), 'XDSMetadataUpdateError');
    });

    it('accepts a changed hash spelling (hex case) as the same hash', async () => {
      const { id, doc } = await registeredDocument();
      await update({ newVersions: [newDocumentVersion(doc, id, 1, { hash: doc.hash!.toUpperCase() })] });
    });

    it('refuses to move the document to another patient (XDSPatientIDReconciliationError)', async () => {
      const { id, doc } = await registeredDocument();
      const other = patientCx();
      await registry.registerPatient(other);
      await rejects(
        () => update({ newVersions: [newDocumentVersion(doc, id, 1, { patientId: other, sourcePatientId: other })] }, other),
        'XDSPatientIDReconciliationError',
      );
    });

    it('applies the submit path structure and code rules to the new metadata', async () => {
      const { id, doc } = await registeredDocument();
      const op = newDocumentVersion(doc, id);
      delete (op.object as Partial<DocumentEntry>).classCode;
      await rejects(() => update({ newVersions: [op] }), 'XDSRegistryMetadataError');
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 1, { classCode: { code: 'X', scheme: '1.2.3.999' } })] }), 'XDSRegistryMetadataError');
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 1, { creationTime: 'yesterday' })] }), 'XDSRegistryMetadataError');
    });

    it('lenient code validation: the update succeeds and returns the warning', async () => {
      const lenient = testRegistry(ctx.db, { CODE_VALIDATION: 'lenient' });
      const { id, doc } = await registeredDocument();
      const r = await lenient.updateDocumentSet(
        { submissionSet: submissionSet(patient), newVersions: [newDocumentVersion(doc, id, 1, { classCode: { code: 'X', scheme: '1.2.3.999' } })] },
        SYSTEM_PRINCIPAL,
      );
      assert.equal(r.warnings[0]?.severity, 'Warning');
      assert.equal(r.newVersions[0]!.version, 2);
    });

    it('rejects an initial version or a symbolic logicalID (XDSMetadataUpdateError)', async () => {
      const { id, doc } = await registeredDocument();
      const initial = newDocumentVersion(doc, id);
      initial.object.entryUuid = id;
      await rejects(() => update({ newVersions: [initial] }), 'XDSMetadataUpdateError');
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, 'Document01')] }), 'XDSMetadataUpdateError');
    });

    it('rejects an invalid PreviousVersion and a second update of one logical object (XDSMetadataUpdateOperationError)', async () => {
      const { id, doc } = await registeredDocument();
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id, 0)] }), 'XDSMetadataUpdateOperationError');
      const second = newDocumentVersion(doc, id);
      second.object.entryUuid = 'AnotherVersion';
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id), second] }), 'XDSMetadataUpdateOperationError');
    });

    it('rejects an update of a deprecated document (XDSMetadataUpdateError)', async () => {
      const { id, doc } = await registeredDocument();
      await update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] });
      await rejects(() => update({ newVersions: [newDocumentVersion(doc, id)] }), 'XDSMetadataUpdateError');
    });

    it('carries folder memberships to the new version and touches the folder', async () => {
      const { docId, folderId, doc } = await documentInFolder();
      await ctx.db.query(`UPDATE folders SET last_update_time = '20000101000000' WHERE entry_uuid = $1`, [folderId]);
      const v = (await update({ newVersions: [newDocumentVersion(doc, docId)] })).newVersions[0]!;
      assert.deepEqual(v.propagated.map((p) => [p.folder, p.document]), [[folderId, v.entryUuid]]);
      assert.ok(await isMember(folderId, v.entryUuid));
      const time = await ctx.db.query<{ last_update_time: string }>('SELECT last_update_time FROM folders WHERE entry_uuid = $1', [folderId]);
      assert.notEqual(time.rows[0]!.last_update_time, '20000101000000');
    });

    it('AssociationPropagation=no leaves the folder as it was', async () => {
      const { docId, folderId, doc } = await documentInFolder();
      const r = await update({ newVersions: [{ ...newDocumentVersion(doc, docId), associationPropagation: false }] });
      const v = r.newVersions[0]!;
      assert.deepEqual(v.propagated, []);
      assert.equal(await isMember(folderId, v.entryUuid), false);
      const [member] = await associationsOf(r.submissionSet);
      assert.equal(member!.metadata.associationPropagation, false);
    });

    it('a new Folder version keeps the approved documents of the previous one', async () => {
      const { docId, folderId, f } = await documentInFolder();
      const r = await update({ newVersions: [{ object: { kind: 'Folder', ...f, title: 'Hospitalizace 2026', entryUuid: 'NewFolder', logicalId: folderId }, previousVersion: 1 }] });
      const v = r.newVersions[0]!;
      assert.equal(v.kind, 'Folder');
      assert.equal(v.version, 2);
      assert.equal(await statusOf(folderId), 'Deprecated');
      assert.equal(await statusOf(v.entryUuid), 'Approved');
      assert.ok(await isMember(v.entryUuid, docId));
      assert.deepEqual(v.propagated.map((p) => [p.folder, p.document]), [[v.entryUuid, docId]]);
      assert.equal(fromRow<Folder>((await row(v.entryUuid))!).title, 'Hospitalizace 2026');
    });

    it('a new version and a status change of the same object in one request: the status applies to the new version', async () => {
      const { id, doc } = await registeredDocument();
      const r = await update({
        newVersions: [newDocumentVersion(doc, id)],
        statusChanges: [{ target: { entryUuid: 'NewVersion' }, originalStatus: Approved, newStatus: Deprecated }],
      });
      const v2 = r.newVersions[0]!.entryUuid;
      assert.equal(r.statusChanges[0]!.entryUuid, v2);
      assert.equal(await statusOf(v2), 'Deprecated');
      assert.equal(await statusOf(id), 'Deprecated');
      assert.deepEqual((await associationsOf(r.submissionSet)).map((a) => a.type), [AssociationType.HasMember, AssociationType.UpdateAvailabilityStatus]);
    });
  });

  describe('atomicity and concurrency', () => {
    it('a failing operation undoes the ones before it in the same request', async () => {
      const { id, doc } = await registeredDocument();
      await rejects(
        () => update({
          newVersions: [newDocumentVersion(doc, id)],
          statusChanges: [{ target: { entryUuid: 'urn:uuid:00000000-0000-4000-8000-00000000c001' }, originalStatus: Approved, newStatus: Deprecated }],
        }),
        'UnresolvedReferenceException',
      );
      assert.deepEqual(await findDocuments('Approved'), [id]);
    });

    it('a failing withinTransaction hook (audit outbox) rolls the update back', async () => {
      const { id } = await registeredDocument();
      const before = await snapshot();
      await assert.rejects(
        registry.changeAvailabilityStatus(submissionSet(patient), { target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }, SYSTEM_PRINCIPAL, {
          withinTransaction: async () => {
            throw new Error('outbox down');
          },
        }),
        /outbox down/,
      );
      assert.equal(await snapshot(), before);
    });

    it('two concurrent new versions of the same previous version: exactly one wins', async () => {
      const { id, doc } = await registeredDocument();
      const results = await Promise.allSettled([
        update({ newVersions: [newDocumentVersion(doc, id, 1, { title: 'A' })] }),
        update({ newVersions: [newDocumentVersion(doc, id, 1, { title: 'B' })] }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]!.reason instanceof RegistryError, String(lost[0]!.reason));
      assert.equal(lost[0]!.reason.errors[0].code, 'XDSMetadataVersionError');
      const versions = await ctx.db.query<{ version: number; status: string }>('SELECT version, status FROM document_entries WHERE logical_id = $1 ORDER BY version', [id]);
      assert.deepEqual(versions.rows.map((x) => `${x.version}:${x.status}`), ['1:Deprecated', '2:Approved']);
      const sets = await ctx.db.query('SELECT 1 FROM associations WHERE type = $1 AND target_id IN (SELECT entry_uuid FROM document_entries WHERE logical_id = $2)', [AssociationType.HasMember, id]);
      assert.equal(sets.rowCount, 2, 'the original HasMember and the winner\'s; the loser stored no SubmissionSet membership');
    });

    it('two concurrent deprecations of one document: one wins, the other finds the status moved', async () => {
      const { id } = await registeredDocument();
      const change = () => update({ statusChanges: [{ target: { entryUuid: id }, originalStatus: Approved, newStatus: Deprecated }] });
      const results = await Promise.allSettled([change(), change()]);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(lost.length, 1);
      assert.equal(lost[0]!.reason.errors[0].code, 'XDSMetadataUpdateError');
      const recorded = await ctx.db.query('SELECT 1 FROM associations WHERE type = $1 AND target_id = $2', [AssociationType.UpdateAvailabilityStatus, id]);
      assert.equal(recorded.rowCount, 1);
    });
  });

  describe('delete (ITI-62)', () => {
    async function registeredSubmission(): Promise<{ setId: string; docId: string; memberId: string }> {
      const { id, setId } = await registeredDocument();
      const [member] = await associationsOf(setId);
      return { setId, docId: id, memberId: member!.entry_uuid };
    }

    it('deletes a whole submission (SubmissionSet, DocumentEntry, HasMember) and reports what went', async () => {
      const { setId, docId, memberId } = await registeredSubmission();
      // entryUUIDs compare case-insensitively, and an id named twice is deleted once.
      const r = await registry.deleteObjects([docId, memberId, setId.toUpperCase(), docId], SYSTEM_PRINCIPAL);
      assert.deepEqual(
        r.deleted.map((d) => [d.kind, d.entryUuid, d.patientId]).sort(),
        [['Association', memberId, undefined], ['DocumentEntry', docId, patient], ['SubmissionSet', setId, patient]].sort(),
      );
      assert.equal(await row(docId), undefined);
      assert.deepEqual(await findDocuments('Approved'), []);
      assert.equal((await ctx.db.query('SELECT 1 FROM submission_sets WHERE entry_uuid = $1', [setId])).rowCount, 0);
      assert.equal((await ctx.db.query('SELECT 1 FROM associations WHERE entry_uuid = $1', [memberId])).rowCount, 0);
    });

    it('refuses to delete an object still referenced by an association outside the request (ReferencesExistException)', async () => {
      const { docId, setId } = await registeredSubmission();
      const err = await rejects(() => registry.deleteObjects([docId], SYSTEM_PRINCIPAL), 'ReferencesExistException');
      assert.equal(err.errors[0]!.location, docId);
      await rejects(() => registry.deleteObjects([setId, docId], SYSTEM_PRINCIPAL), 'ReferencesExistException');
    });

    it('a replaced document is referenced by the RPLC of its replacement', async () => {
      const { setId, docId, memberId } = await registeredSubmission();
      const replacement = documentEntry(patient);
      await register(submission(patient, { documents: [replacement], associations: [association(AssociationType.Replace, replacement.entryUuid, docId)] }));
      await rejects(() => registry.deleteObjects([setId, docId, memberId], SYSTEM_PRINCIPAL), 'ReferencesExistException');
    });

    it('an unknown entryUUID fails the whole request (UnresolvedReferenceException)', async () => {
      const { setId, docId, memberId } = await registeredSubmission();
      const err = await rejects(
        () => registry.deleteObjects([setId, docId, memberId, 'urn:uuid:00000000-0000-4000-8000-00000000d001'], SYSTEM_PRINCIPAL),
        'UnresolvedReferenceException',
      );
      assert.equal(err.errors[0]!.location, 'urn:uuid:00000000-0000-4000-8000-00000000d001');
      assert.equal(await statusOf(docId), 'Approved');
    });

    it('removing a document from a folder deletes the HasMember and touches the folder', async () => {
      const { docId, folderId } = await documentInFolder();
      await ctx.db.query(`UPDATE folders SET last_update_time = '20000101000000' WHERE entry_uuid = $1`, [folderId]);
      const membership = (await associationsOf(folderId))[0]!.entry_uuid;
      await registry.deleteObjects([membership], SYSTEM_PRINCIPAL);
      assert.equal(await isMember(folderId, docId), false);
      assert.equal(await statusOf(docId), 'Approved');
      const time = await ctx.db.query<{ last_update_time: string }>('SELECT last_update_time FROM folders WHERE entry_uuid = $1', [folderId]);
      assert.notEqual(time.rows[0]!.last_update_time, '20000101000000');
    });

    it('deletes a metadata update: its SubmissionSet, the new version and the status record', async () => {
      const { id, doc } = await registeredDocument();
      const r = await update({
        newVersions: [newDocumentVersion(doc, id)],
        statusChanges: [{ target: { entryUuid: 'NewVersion' }, originalStatus: Approved, newStatus: Deprecated }],
      });
      const v = r.newVersions[0]!;
      await registry.deleteObjects([r.submissionSet, v.entryUuid, v.memberAssociation, r.statusChanges[0]!.association], SYSTEM_PRINCIPAL);
      assert.equal(await row(v.entryUuid), undefined);
      const left = await ctx.db.query<{ version: number }>('SELECT version FROM document_entries WHERE logical_id = $1', [id]);
      assert.deepEqual(left.rows.map((x) => x.version), [1]);
    });

    it('an empty request deletes nothing', async () => {
      const before = await snapshot();
      assert.deepEqual(await registry.deleteObjects([], SYSTEM_PRINCIPAL), { deleted: [] });
      assert.equal(await snapshot(), before);
    });
  });

  describe('two entries of one uniqueId (an identical document registered again)', () => {
    /** The document registered twice, in two submission sets. */
    async function registeredTwice(): Promise<{ doc: DocumentEntry; first: { id: string; setId: string }; second: { id: string; setId: string } }> {
      const first = await registeredDocument();
      const s = submission(patient, { documents: [{ ...first.doc }] });
      const ids = await register(s);
      return { doc: first.doc, first, second: { id: ids[first.doc.entryUuid]!, setId: ids[s.submissionSet.entryUuid]! } };
    }

    it('ITI-57 versions each entry on its own', async () => {
      const { doc, first, second } = await registeredTwice();
      for (const id of [first.id, second.id]) {
        const r = await registry.createNewVersion(submissionSet(patient), newDocumentVersion(doc, id), SYSTEM_PRINCIPAL);
        assert.deepEqual([r.newVersions[0]!.logicalId, r.newVersions[0]!.version], [id, 2]);
      }
      const approved = await ctx.db.query<{ logical_id: string; version: number }>('SELECT logical_id, version FROM document_entries WHERE unique_id = $1 AND status = $2', [doc.uniqueId, 'Approved']);
      assert.deepEqual(approved.rows.map((x) => [x.logical_id, x.version]).sort(), [[first.id, 2], [second.id, 2]].sort());
    });

    it('ITI-62 deletes one entry; the other keeps the uniqueId and its content', async () => {
      const { doc, first, second } = await registeredTwice();
      const [member] = await associationsOf(first.setId);
      await registry.deleteObjects([first.setId, first.id, member!.entry_uuid], SYSTEM_PRINCIPAL);
      assert.equal(await row(first.id), undefined);
      assert.equal(await statusOf(second.id), 'Approved');
      const other = await registry.submit(submission(patient, { documents: [{ ...doc, hash: sha1('other bytes') }] }), SYSTEM_PRINCIPAL);
      assert.deepEqual(other.errors.map((e) => e.code), ['XDSNonIdenticalHash']);
    });

    it('RPLC replaces the entry it names; the other registration stays Approved', async () => {
      const { first, second } = await registeredTwice();
      const replacement = documentEntry(patient);
      await register(submission(patient, { documents: [replacement], associations: [association(AssociationType.Replace, replacement.entryUuid, first.id)] }));
      assert.deepEqual([await statusOf(first.id), await statusOf(second.id)], ['Deprecated', 'Approved']);
    });
  });
});
