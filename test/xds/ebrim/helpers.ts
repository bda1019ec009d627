// Shared setup of the ebRIM codec tests: fixtures parsed with the SOAP layer's safe parser, the
// Czech default profile, and assertions on RegistryError.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Document, Element } from '@xmldom/xmldom';
import type { AffinityProfile } from '../../../src/domain/affinity-profile';
import type { XdsErrorCode } from '../../../src/domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../../src/domain/registry-error';
import { buildDocument, parseXml, serializeXml, type XmlElementSpec } from '../../../src/soap';
import { RIM_NS } from '../../../src/xds/ebrim';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const profile = JSON.parse(fs.readFileSync(path.join(ROOT, 'ihe-profiles', 'cz-default.json'), 'utf8')) as AffinityProfile;

/** A fixture document, parsed fresh each time so a test may change it. */
export function fixtureDocument(name: string): Document {
  return parseXml(fs.readFileSync(path.join(ROOT, 'fixtures', 'xds', 'ebrim', name)));
}

export function registryObjectListOf(doc: Document): Element {
  const list = doc.getElementsByTagNameNS(RIM_NS, 'RegistryObjectList')[0];
  assert.ok(list, 'document has a rim:RegistryObjectList');
  return list;
}

export function fixtureList(name: string): Element {
  return registryObjectListOf(fixtureDocument(name));
}

/** Built spec -> serialised -> parsed again: what a peer receiving our XML would see. */
export function reparse(spec: XmlElementSpec): { xml: string; list: Element } {
  const xml = serializeXml(buildDocument(spec));
  return { xml, list: parseXml(xml).documentElement! };
}

/** Runs `fn`, expects a RegistryError, returns its details. */
export function registryErrors(fn: () => unknown): RegistryErrorDetail[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RegistryError, `expected RegistryError, got ${String(err)}`);
    return err.errors;
  }
  assert.fail('expected a RegistryError');
}

/** Asserts one of `errors` has the code and location and a context matching `context`. */
export function assertHasError(errors: readonly RegistryErrorDetail[], code: XdsErrorCode, location: string, context: RegExp): void {
  const hit = errors.find((e) => e.code === code && e.location === location && context.test(e.context));
  assert.ok(hit, `no ${code} at ${location} matching ${context}; got:\n${errors.map((e) => `  ${e.code} @ ${e.location}: ${e.context}`).join('\n')}`);
  assert.equal(hit.severity, 'Error');
}

/** The element with this id attribute, anywhere in the document. */
export function byId(doc: Document, id: string): Element {
  const all = doc.getElementsByTagNameNS(RIM_NS, '*');
  for (let i = 0; i < all.length; i++) if (all[i]!.getAttribute('id') === id) return all[i]!;
  assert.fail(`no element with id ${id}`);
}

export function remove(el: Element): void {
  el.parentNode!.removeChild(el);
}
