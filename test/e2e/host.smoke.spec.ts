import { expect, guardNetwork, test } from './support/fixtures.ts';

test.describe('web host smoke', () => {
  test('the studio loads from the web host and talks to it over the WebSocket', async ({ browser, studio, pageErrors }) => {
    // A fresh page (not the fixture's) so the WebSocket and first response are observed from the start.
    const page = await browser.newPage();
    const outside: string[] = [];
    await guardNetwork(page, outside);
    const socketAnswered = new Promise<string>((resolve) => {
      page.on('websocket', (ws) => ws.on('framereceived', () => resolve(ws.url())));
    });
    const response = await page.goto(studio.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page).toHaveTitle(/Flowline/);
    await expect(page.locator('#root > *').first()).toBeVisible();
    expect(await socketAnswered).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${studio.port}/api\\?token=`));
    expect(pageErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  test('the token is enforced on pages, assets and the WebSocket', async ({ page, studio, playwright }) => {
    const base = `http://127.0.0.1:${studio.port}`;
    // A request context with no cookie: the fixture's page got one from the tokened URL.
    const anonymous = await playwright.request.newContext();
    expect((await anonymous.get(`${base}/`)).status()).toBe(403);
    expect((await anonymous.get(`${base}/?token=not-the-token`)).status()).toBe(403);
    expect((await anonymous.get(`${base}/index.html`)).status()).toBe(403);
    expect((await anonymous.get(`${base}/?token=${studio.token}`)).status()).toBe(200);
    await anonymous.dispose();

    // From inside the studio's own page, once its token cookie is gone: a WebSocket without the
    // right token is refused at the upgrade...
    await page.context().clearCookies();
    const refused = await page.evaluate(async (url) => {
      return await new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('error');
      });
    }, `ws://127.0.0.1:${studio.port}/api?token=wrong`);
    expect(refused).toBe('error');
    // ...and with it, calls are answered.
    const hello = await page.evaluate(async (url) => {
      return await new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'hello', args: [] }));
        ws.onmessage = (m) => resolve(JSON.parse(String(m.data)));
        ws.onerror = () => reject(new Error('refused'));
      });
    }, `ws://127.0.0.1:${studio.port}/api?token=${studio.token}`);
    expect(hello).toMatchObject({ id: 1, result: { apiVersion: 1, host: 'web' } });
  });

  test('no request leaves 127.0.0.1, and the guard would catch one', async ({ page, outsideRequests, browser }) => {
    await page.waitForLoadState('networkidle');
    expect(outsideRequests).toEqual([]);

    // Control: the guard is not vacuous. On a blank page (no CSP to stop it first), an outside
    // fetch reaches the guard and is blocked.
    const probe = await browser.newPage();
    const caught: string[] = [];
    await guardNetwork(probe, caught);
    await probe.goto('about:blank');
    await probe.evaluate(() => fetch('https://example.com/ping').catch(() => 'blocked'));
    expect(caught).toEqual(['https://example.com/ping']);
    await probe.close();
  });
});
