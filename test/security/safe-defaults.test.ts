import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

// Token auth, sign-in (cookie, rate limit), CSRF (origin check), Host check, headers, body limits and
// error pages: each protection of issue 8, tried from the outside through the app.

const TOKEN = 'correct-horse-battery-staple';
const RUN = { model: 'flux-dev', steps: 30, score: 7 };

let ctx: TestContext;
afterEach(async () => {
  await ctx.db.destroy();
});

/** The `name=value` of a Set-Cookie header, and the header itself. */
function sessionCookieOf(res: request.Response): { pair: string; header: string } {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sweetspot_session='));
  if (!header) throw new Error('no session cookie was set');
  return { pair: header.split(';')[0]!, header };
}

async function signIn(agent: request.Agent | ReturnType<typeof request>, token = TOKEN): Promise<request.Response> {
  return (agent as ReturnType<typeof request>).post('/sign-in').type('form').send({ token, next: '/runs' });
}

describe('token: writes need it, reads stay open', () => {
  it('API writes need Authorization: Bearer with the right token; reads need nothing', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const none = await request(ctx.app).post('/api/v1/runs').send(RUN);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);

    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, 'Bearer', TOKEN]) {
      const wrong = await request(ctx.app).post('/api/v1/runs').set('Authorization', header).send(RUN);
      expect(wrong.status, header).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_token');
    }
    for (const method of ['patch', 'delete'] as const) {
      expect((await request(ctx.app)[method]('/api/v1/runs/1').send({ score: 1 })).status).toBe(401);
    }
    expect((await request(ctx.app).post('/api/v1/import').type('text/csv').send('model,steps\nflux-dev,3\n')).status).toBe(401);
    expect(await countRows(ctx.db, 'runs')).toBe(0);

    const ok = await request(ctx.app).post('/api/v1/runs').set('Authorization', `Bearer ${TOKEN}`).send(RUN);
    expect(ok.status).toBe(201);
    expect((await request(ctx.app).get('/api/v1/runs')).body.total).toBe(1);
    expect((await request(ctx.app).get('/runs')).status).toBe(200);
    expect(await countRows(ctx.db, 'runs')).toBe(1);
  });

  it('page writes without a sign-in go to /sign-in and write nothing', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const res = await request(ctx.app).post('/runs').type('form').set({ Host: '127.0.0.1:3000', Referer: 'http://127.0.0.1:3000/runs/new' }).send({ model: 'flux-dev', steps: '30' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fruns%2Fnew');
    expect(await countRows(ctx.db, 'runs')).toBe(0);
    const page = await request(ctx.app).get('/sign-in?next=/runs/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="token"');
    expect(page.text).toContain('value="/runs/new"');
  });

  it('signing in sets an httpOnly, SameSite=Strict cookie holding a signed session, never the token', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const wrong = await signIn(request(ctx.app), 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).toContain('not the token');

    const res = await signIn(request(ctx.app));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/runs');
    const { pair, header } = sessionCookieOf(res);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).not.toContain(TOKEN);
    expect(header).not.toContain(encodeURIComponent(TOKEN));

    const logged = await request(ctx.app).post('/runs').type('form').set('Cookie', pair).send({ model: 'flux-dev', steps: '30' });
    expect(logged.status).toBe(303);
    expect(logged.headers.location).toMatch(/^\/runs/);
    expect(await countRows(ctx.db, 'runs')).toBe(1);
    // The pages' own scripts write through the API with the cookie.
    const viaApi = await request(ctx.app).post('/api/v1/runs').set('Cookie', pair).send(RUN);
    expect(viaApi.status).toBe(201);

    // A tampered or forged cookie is worth nothing.
    const [name, value] = pair.split('=') as [string, string];
    const parts = decodeURIComponent(value).split('.');
    const tampered = [parts[0], String(Date.now() + 1), parts[2], parts[3]].join('.');
    for (const bad of [tampered, `${decodeURIComponent(value)}x`, 'v1.1.x.y', TOKEN]) {
      const forged = await request(ctx.app).post('/api/v1/runs').set('Cookie', `${name}=${encodeURIComponent(bad)}`).send(RUN);
      expect(forged.status, bad).toBe(401);
    }
    expect(await countRows(ctx.db, 'runs')).toBe(2);

    const out = await request(ctx.app).post('/sign-out').set('Cookie', pair);
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/sweetspot_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('a cookie signed under another token is refused (changing the token signs everyone out)', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: 'another-token-entirely' });
    const { pair } = sessionCookieOf(await signIn(request(ctx.app), 'another-token-entirely'));
    await ctx.db.destroy();
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    expect((await request(ctx.app).post('/api/v1/runs').set('Cookie', pair).send(RUN)).status).toBe(401);
  });

  it('never redirects to another site after signing in', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x=1']) {
      const res = await request(ctx.app).post('/sign-in').type('form').send({ token: TOKEN, next });
      expect(res.status).toBe(303);
      expect(res.headers.location === '/' || res.headers.location === next.replace(/^\/%0d%0a.*/, '/%0d%0aSet-Cookie:x=1'), next).toBe(true);
      expect(res.headers.location).toMatch(/^\/(?![/\\])/);
    }
  });

  it('rate-limits failed sign-ins per address: the 6th in a minute gets 429 with Retry-After', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn(request(ctx.app), `wrong-token-number-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await signIn(request(ctx.app));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toMatch(/Too many sign-in attempts/);
    expect(limited.headers['set-cookie']).toBeUndefined();
    console.log(`sign-in rate limit: ${statuses.length} failed attempts answered 401, the next ${limited.status} (Retry-After ${limited.headers['retry-after']} s)`);
  });

  it('without a token writes are open and there is no sign-in page', async () => {
    ctx = await createTestApp();
    expect((await request(ctx.app).post('/api/v1/runs').send(RUN)).status).toBe(201);
    expect((await request(ctx.app).get('/sign-in')).status).toBe(404);
  });
});

describe('CSRF: writes from another site are refused', () => {
  const FORM = { model: 'flux-dev', steps: '30' };

  it('refuses page writes whose Sec-Fetch-Site, Origin or Referer names another site', async () => {
    ctx = await createTestApp();
    const attempts: [string, Record<string, string>][] = [
      ['cross-site fetch metadata', { 'Sec-Fetch-Site': 'cross-site' }],
      ['same-site fetch metadata', { 'Sec-Fetch-Site': 'same-site' }],
      ['foreign Origin', { Origin: 'http://evil.example' }],
      ['same name, other port', { Origin: 'http://127.0.0.1:1' }],
      ['Origin null', { Origin: 'null' }],
      ['foreign Referer', { Referer: 'http://evil.example/page' }],
      ['unparsable Origin', { Origin: 'not a url' }],
    ];
    for (const [what, headers] of attempts) {
      for (const [path, body] of [['/runs', FORM], ['/models', { slug: 'x-model', name: 'X' }], ['/demo', {}], ['/experiments', {}], ['/runs/1/delete', {}]] as const) {
        const res = await request(ctx.app).post(path).type('form').set(headers).send(body);
        expect(res.status, `${what} ${path}`).toBe(403);
        expect(res.text).toMatch(/This write was refused because/);
      }
    }
    expect(await countRows(ctx.db, 'runs')).toBe(0);
    console.log(`CSRF: ${attempts.length * 5} cross-site page writes tried, all refused with 403`);
  });

  it('lets same-origin browser writes and header-less clients through', async () => {
    ctx = await createTestApp();
    const agent = request(ctx.app);
    const same = await agent.post('/runs').type('form').set({ 'Sec-Fetch-Site': 'same-origin' }).send(FORM);
    expect(same.status).toBe(303);
    // supertest's Host is 127.0.0.1:<port>: an Origin with the same host and port is this site.
    const host = (await new Promise<string>((resolve) => {
      const server = ctx.app.listen(0, '127.0.0.1', () => {
        const a = server.address();
        server.close();
        resolve(typeof a === 'object' && a ? `127.0.0.1:${a.port}` : '');
      });
    }));
    expect(host).not.toBe('');
    const origin = await agent.post('/runs').type('form').set({ Host: host, Origin: `http://${host}` }).send(FORM);
    expect(origin.status).toBe(303);
    expect((await agent.post('/runs').type('form').send(FORM)).status).toBe(303);
    expect(await countRows(ctx.db, 'runs')).toBe(3);
  });

  it('holds API writes to the same rule unless they carry a Bearer token', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const { pair } = sessionCookieOf(await signIn(request(ctx.app)));
    const forged = await request(ctx.app).post('/api/v1/runs').set({ Cookie: pair, Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' }).send(RUN);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('cross_site_request');
    const bearer = await request(ctx.app).post('/api/v1/runs').set({ Authorization: `Bearer ${TOKEN}`, Origin: 'http://elsewhere.example' }).send(RUN);
    expect(bearer.status).toBe(201);
    expect(await countRows(ctx.db, 'runs')).toBe(1);
  });

  it('refuses cross-site multipart uploads even without a token configured', async () => {
    ctx = await createTestApp();
    const res = await request(ctx.app)
      .post('/api/v1/images')
      .set({ Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .attach('files', Buffer.from('not an image'), 'x.png');
    expect(res.status).toBe(403);
  });
});

describe('Host header: only the configured names answer (DNS rebinding)', () => {
  it('answers the loopback names and refuses others with 421', async () => {
    ctx = await createTestApp();
    for (const host of ['127.0.0.1', 'localhost:3000', '[::1]:3000', 'LOCALHOST']) {
      expect((await request(ctx.app).get('/api/v1/models').set('Host', host)).status, host).toBe(200);
    }
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.20']) {
      const res = await request(ctx.app).get('/api/v1/models').set('Host', host);
      expect(res.status, host).toBe(421);
      expect(res.body.error.code).toBe('unknown_host');
      const page = await request(ctx.app).post('/runs').type('form').set('Host', host).send({ model: 'flux-dev', steps: '30' });
      expect(page.status).toBe(421);
    }
    expect(await countRows(ctx.db, 'runs')).toBe(0);
  });

  it('adds HOST and SWEETSPOT_ALLOWED_HOSTS', async () => {
    ctx = await createTestApp({ HOST: '0.0.0.0', SWEETSPOT_TOKEN: TOKEN, SWEETSPOT_ALLOWED_HOSTS: 'tracker.example.com, 10.0.0.5' });
    for (const host of ['tracker.example.com', 'TRACKER.example.com:443', '10.0.0.5:3000', 'localhost']) {
      expect((await request(ctx.app).get('/api/v1/models').set('Host', host)).status, host).toBe(200);
    }
    for (const host of ['0.0.0.0', 'evil.example', 'tracker.example.com.evil.example']) {
      expect((await request(ctx.app).get('/api/v1/models').set('Host', host)).status, host).toBe(421);
    }
  });
});

describe('headers, limits and error pages', () => {
  it('sends a CSP without inline scripts, no X-Powered-By, and a referrer policy that keeps Origin', async () => {
    ctx = await createTestApp();
    const res = await request(ctx.app).get('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/default-src 'self'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    // No page carries an inline script: only JSON data blocks and scripts from /static or /vendor.
    for (const page of ['/', '/runs', '/runs/new', '/models', '/compare', '/import', '/images', '/experiments', '/rate']) {
      const html = (await request(ctx.app).get(page)).text;
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, page).toMatch(/type="application\/json"|src="\/(static|vendor)\//);
    }
  });

  it('limits bodies: JSON over 16 MB, forms over 1 MB and sign-in over 8 KB get 413', async () => {
    ctx = await createTestApp({ SWEETSPOT_TOKEN: TOKEN });
    const big = JSON.stringify({ ...RUN, notes: 'x'.repeat(17 * 1024 * 1024) });
    const json = await request(ctx.app).post('/api/v1/runs').set('Authorization', `Bearer ${TOKEN}`).type('json').send(big);
    expect(json.status).toBe(413);
    expect(json.body.error.code).toBe('too_large');
    const { pair } = sessionCookieOf(await signIn(request(ctx.app)));
    const form = await request(ctx.app).post('/runs').set('Cookie', pair).type('form').send(`model=flux-dev&steps=30&notes=${'x'.repeat(1100 * 1024)}`);
    expect(form.status).toBe(413);
    const signInBody = await request(ctx.app).post('/sign-in').type('form').send(`token=${'x'.repeat(9000)}`);
    expect(signInBody.status).toBe(413);
    expect(await countRows(ctx.db, 'runs')).toBe(0);
  });

  it('answers an unexpected failure with a plain 500 that reveals no internals', async () => {
    ctx = await createTestApp();
    await ctx.db.destroy(); // every query now fails inside the driver
    const page = await request(ctx.app).get('/runs');
    const api = await request(ctx.app).get('/api/v1/runs');
    for (const res of [page, api]) {
      expect(res.status).toBe(500);
      expect(res.text).toMatch(/Something went wrong on our side/);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|\/src\/|\.ts:\d|kysely|driver|destroyed/i);
    }
    expect(api.body).toEqual({ error: { code: 'internal', message: expect.any(String), details: [] } });
    expect(ctx.errors.length).toBe(2); // logged for the operator instead
    ctx = await createTestApp(); // for afterEach
  });
});
