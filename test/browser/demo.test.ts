import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../demo/emulator.js';

// The demo imports the package by name, which resolves to the build.
if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
  throw new Error('The browser test runs the demo against the build: run `npm run build` first.');
}
const { startDemo } = await import('../../demo/server.js');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let demo: Awaited<ReturnType<typeof startDemo>>;
let profileDir: string;
let context: BrowserContext;
let browser: Browser | null;
let page: Page;

beforeAll(async () => {
  emulator = await startEmulator();
  demo = await startDemo({ port: 0, emulator });
  profileDir = await mkdtemp(join(tmpdir(), 'sealed-session-chromium-'));
  // A persistent context is the only way to give Chromium its own --user-data-dir.
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 860 },
  });
  browser = context.browser();
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.close();
  await emulator?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

async function sessionCookie(): Promise<string | undefined> {
  const cookies = await context.cookies(demo.url);
  return cookies.find((cookie) => cookie.name === 'wos-session')?.value;
}

const text = (testId: string) => page.getByTestId(testId).innerText();

describe('the demo app in Chromium', () => {
  test('sign in as Alice, refresh, switch organizations, sign out', async () => {
    await page.goto(demo.url);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/sign-in.png' });
    await page.getByRole('link', { name: /Alice Moreau/ }).click();
    await page.waitForURL(`${demo.url}/`);

    expect(await text('user-name')).toBe('Alice Moreau');
    expect(await text('user-email')).toBe('alice@acme.test');
    expect(await text('cookie-format')).toBe('Iron (Fe26.2)');
    expect(await text('cookie-size')).toMatch(/^[\d,]+ bytes$/);
    const userId = await text('user-id');
    expect(userId).toMatch(/^user_/);
    expect(await text('session-id')).toMatch(/^session_/);
    const firstCookie = await sessionCookie();
    expect(firstCookie).toMatch(/^Fe26\.2\*/);

    // The countdown is live: the script replaced the server's figure with its own ticking one.
    await expect.poll(() => page.locator('[data-countdown]').innerText()).toMatch(/^\d+:\d\d$/);

    await page.getByTestId('refresh').click();
    await page.waitForURL(`${demo.url}/`);
    expect(await text('notice')).toMatch(/Session refreshed/);
    // WorkOS keeps the session id across refreshes; its emulator opens a new session on every
    // grant, so the stable identity to check here is the user's.
    expect(await text('user-id')).toBe(userId);
    expect(await text('session-id')).toMatch(/^session_/);
    expect(await text('user-name')).toBe('Alice Moreau');
    const refreshedCookie = await sessionCookie();
    expect(refreshedCookie).toMatch(/^Fe26\.2\*/);
    expect(refreshedCookie).not.toBe(firstCookie);

    await page.getByTestId('organization-select').selectOption({ label: 'Acme Corp · Admin' });
    await page.getByTestId('switch-organization').click();
    await page.waitForURL(`${demo.url}/`);
    expect(await text('organization-name')).toBe('Acme Corp');
    expect(await text('role')).toBe('Admin');
    const adminPermissions = await page.getByTestId('permissions').locator('li').allInnerTexts();
    expect(adminPermissions.sort()).toEqual(['billing:manage', 'members:invite', 'projects:read', 'projects:write']);
    expect(await text('user-id')).toBe(userId);

    await page.screenshot({ path: 'test-results/profile.png', fullPage: true });

    await page.getByTestId('organization-select').selectOption({ label: 'Globex Industries · Member' });
    await page.getByTestId('switch-organization').click();
    await page.waitForURL(`${demo.url}/`);
    expect(await text('organization-name')).toBe('Globex Industries');
    expect(await text('role')).toBe('Member');
    expect(await page.getByTestId('permissions').locator('li').allInnerTexts()).toEqual(['projects:read']);

    // Sign-out goes through the provider's logout URL, which sends the browser back here.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${demo.url}/signed-out`);
    expect(await page.getByTestId('signed-out').innerText()).toMatch(/You are signed out/);
    expect(await sessionCookie()).toBeUndefined();
    await page.screenshot({ path: 'test-results/signed-out.png' });

    await page.goto(demo.url);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByTestId('user-name').count()).toBe(0);
    expect(await page.getByTestId('sign-out').count()).toBe(0);
  });
});

describe('the demo with one organization and short-lived tokens', () => {
  let short: Awaited<ReturnType<typeof startDemo>>;
  let shortPage: Page;

  beforeAll(async () => {
    short = await startDemo({ port: 0, emulator, accessTokenTtlSec: 20 });
    shortPage = await context.newPage();
    // A phone's width, where a select squeezed beside its button cuts names short.
    await shortPage.setViewportSize({ width: 360, height: 800 });
  });
  afterAll(async () => {
    await shortPage?.close();
    await short?.close();
  });

  test('Bob, in one organization, finds it selected; the picker shows whole names; tokens refresh by themselves', async () => {
    await shortPage.goto(`${short.url}/sign-in`);
    await shortPage.getByRole('link', { name: /Bob Okafor/ }).click();
    await shortPage.waitForURL(`${short.url}/`);
    const shortText = (testId: string) => shortPage.getByTestId(testId).innerText();
    expect(await shortText('organization-name')).toBe('Globex Industries');
    expect(await shortText('role')).toBe('Admin');
    const select = shortPage.getByTestId('organization-select');
    expect(await select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.text)).toBe('Globex Industries · Admin');

    // Every option's text fits the select's own box (padding and arrow aside).
    const fits = await select.evaluate((element: HTMLSelectElement) => {
      const style = getComputedStyle(element);
      const context2d = document.createElement('canvas').getContext('2d')!;
      context2d.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const widest = Math.max(...[...element.options].map((option) => context2d.measureText(option.text).width));
      return widest + Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight) <= element.clientWidth;
    });
    expect(fits).toBe(true);

    const expiry = shortPage.getByTestId('expiry');
    expect(Number(await expiry.getAttribute('data-expires-in'))).toBeLessThanOrEqual(20);
    const firstExpiry = await expiry.getAttribute('data-expires-at');
    // The page reloads when its token runs out, and the server refreshes it on the way.
    await shortPage.waitForFunction((before) => document.querySelector('[data-expires-at]')?.getAttribute('data-expires-at') !== before, firstExpiry, { timeout: 45_000 });
    expect(await shortText('organization-name')).toBe('Globex Industries');
  });
});
