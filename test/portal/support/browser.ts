// Debian's chromium driven by playwright-core (a browser download does not work here), and the
// portal's sign-in as a person does it: the portal's link, the OpenID provider's login form.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Where the tests leave screenshots (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '..', '..', '..', '..', 'test-artifacts', 'portal');

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs `login` in through the portal in a fresh context (its own cookies); resolves on the trail page with its first rows (or its empty note). */
export async function signIn(browser: Browser, base: string, login: string, viewport = { width: 1200, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'cs-CZ', timezoneId: 'Europe/Prague', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}/portal`);
  await page.click('a[href="/portal/login"]');
  // oidc-provider's development login form: any password.
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'test');
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/portal`);
  await waitForTrail(page);
  return { context, page };
}

export async function waitForTrail(page: Page): Promise<void> {
  await page.waitForSelector('.trail tbody tr, .trail .empty');
}

/** The trail's rows as text, one string per row. */
export function trailRows(page: Page): Promise<string[]> {
  return page.$$eval('.trail tbody tr', (rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ')));
}
