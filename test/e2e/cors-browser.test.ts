/**
 * CORS in a real browser engine: headless Chromium (Debian's `chromium` package; CHROMIUM_PATH
 * overrides /usr/bin/chromium) loads pages from two local origins of its own (tiny HTTP servers on
 * random ports) and calls the local stack, served from the project's template with one of them
 * allowed, with `fetch`. What the browser does is the fetch standard's CORS protocol
 * (https://fetch.spec.whatwg.org/#http-cors-protocol): a preflight before a JSON POST, the answer
 * readable only with a matching Access-Control-Allow-Origin, only the exposed headers readable.
 * The answers it checks are API Gateway's as documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html (preflight MOCK and
 * the function's headers) and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 * (API Gateway's own errors made readable by DEFAULT_4XX).
 * The test fails (it does not skip) when Chromium is missing.
 */
import { expect } from 'chai';
import { access, constants } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../cli/local/index.js';
import { createMemoryReporter } from '../../cli/ui/reporter.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A page server: one empty HTML page at `/`, so the page's origin is http://127.0.0.1:<port>. */
async function startPageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>cors page</title><p>page</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface FetchOutcome {
  ok: boolean;
  status?: number;
  body?: string;
  headers?: Record<string, string | null>;
  error?: string;
}

/** `fetch` run by the page: what the page can read of the answer, or the error the browser gives it. */
function pageFetch(page: Page, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, read: string[]): Promise<FetchOutcome> {
  return page.evaluate(
    async ({ url, init, read }) => {
      try {
        const res = await fetch(url, init);
        return { ok: true, status: res.status, body: await res.text(), headers: Object.fromEntries(read.map((h) => [h, res.headers.get(h)])) };
      } catch (err) {
        return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
      }
    },
    { url, init, read },
  );
}

describe('CORS in headless Chromium against cli dev', function () {
  this.timeout(60_000);
  let browser: Browser;
  let stack: LocalStack;
  let allowed: { origin: string; server: Server };
  let refused: { origin: string; server: Server };
  const reporter = createMemoryReporter();

  before(async () => {
    try {
      await access(CHROMIUM, constants.X_OK);
    } catch {
      throw new Error(`headless Chromium is needed for this test and was not found at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium; .ci/run does) or set CHROMIUM_PATH to its executable`);
    }
    [allowed, refused] = await Promise.all([startPageServer(), startPageServer()]);
    stack = await startLocalStack({ root: ROOT, port: 0, reporter, parameterOverrides: { AuthMode: 'NONE', CorsAllowedOrigins: allowed.origin } });
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start; the pages are the test's own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    for (const page of [allowed, refused]) if (page) await new Promise((resolve) => page.server.close(resolve));
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  it('lets the allowed origin POST JSON (after a preflight) and read the body, Location and x-amzn-RequestId', async () => {
    const page = await pageAt(allowed.origin);
    const res = await pageFetch(page, `${stack.endpoint}/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"from-browser","n":1}' }, ['location', 'x-amzn-requestid', 'content-type']);
    expect(res, JSON.stringify(res)).to.include({ ok: true, status: 201 });
    expect(JSON.parse(res.body!)).to.deep.equal({ id: 'from-browser', n: 1 });
    expect(res.headers?.location).to.equal('/prod/items/from-browser');
    expect(res.headers?.['x-amzn-requestid']).to.match(/^[0-9a-f-]{36}$/);
    // The browser sent a preflight, and the MOCK answered it.
    expect(reporter.stderr.join('\n')).to.match(/OPTIONS \/prod\/items \S*200/);
    await page.close();
  });

  it('gives a refused origin a TypeError, and its POST never reaches the function', async () => {
    const page = await pageAt(refused.origin);
    const post = await pageFetch(page, `${stack.endpoint}/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"refused"}' }, []);
    expect(post.ok).to.equal(false);
    expect(post.error).to.match(/^TypeError: /);
    // A simple GET (no preflight) reaches the function, but the page cannot read the answer.
    const get = await pageFetch(page, `${stack.endpoint}/items/from-browser`, {}, []);
    expect(get.ok).to.equal(false);
    expect(get.error).to.match(/^TypeError: /);
    await page.close();
    const check = await fetch(`${stack.endpoint}/items/refused`);
    expect(check.status).to.equal(404);
  });

  it("lets the allowed origin read API Gateway's own 403 and its x-amzn-ErrorType, thanks to the gateway response", async () => {
    const page = await pageAt(allowed.origin);
    const res = await pageFetch(page, `${stack.endpoint}/no-such-route`, {}, ['x-amzn-errortype']);
    expect(res, JSON.stringify(res)).to.include({ ok: true, status: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(res.headers?.['x-amzn-errortype']).to.equal('MissingAuthenticationTokenException');
    await page.close();
  });
});
