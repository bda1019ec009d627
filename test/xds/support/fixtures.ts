// SOAP messages of fixtures/xds with their {{NAME}} placeholders filled. Values are text and get
// XML-escaped (patient CX values carry '&'); markup (document elements, slots) goes in as xml().
import fs from 'node:fs';
import path from 'node:path';

/** fixtures/xds at the project root (this file runs as dist/test/xds/support/fixtures.js). */
export const XDS_FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'fixtures', 'xds');

export interface XmlFragment {
  xml: string;
}

export type FixtureValue = string | number | XmlFragment;

export function xml(markup: string): XmlFragment {
  return { xml: markup };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const cache = new Map<string, string>();

export function rawFixture(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(XDS_FIXTURES, name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The fixture with every placeholder filled; a placeholder without a value is a test bug and throws. */
export function fillFixture(name: string, values: Record<string, FixtureValue>): string {
  const filled = rawFixture(name).replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`fixture ${name}: no value for ${whole}`);
    return typeof v === 'object' ? v.xml : escapeXml(String(v));
  });
  return filled;
}
