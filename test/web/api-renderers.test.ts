import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeA1111 } from '../helpers/fake-a1111.js';
import { sdxlWorkflow, startFakeComfyUi } from '../helpers/fake-comfyui.js';
import { createTestApp } from '../helpers/test-app.js';

const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeComfy() {
  const fake = await startFakeComfyUi();
  fakes.push(fake);
  return fake;
}

describe('POST /api/v1/renderers', () => {
  it('adds a ComfyUI renderer: hardware from /system_stats, the mapping found in its workflow; lists and removes it', async () => {
    const { app } = await createTestApp();
    const fake = await fakeComfy();
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: `${fake.url}/`, workflow: sdxlWorkflow() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'comfyui', url: fake.url, name: `ComfyUI at ${new URL(fake.url).host}`, hardware: 'NVIDIA GeForce RTX 4090' });
    expect(res.body.mapping).toMatchObject({
      sampler: { node: '3', classType: 'KSampler' },
      steps: { node: '3', input: 'steps', value: 20 },
      seed: { node: '3', input: 'seed' },
      checkpoint: { node: '4', input: 'ckpt_name', value: 'sd_xl_base_1.0.safetensors' },
      width: { node: '5', value: 1024 },
    });
    expect(res.headers.location).toBe(`/api/v1/renderers/${res.body.id}`);
    expect(fake.server.requests).toEqual(['GET /system_stats']);

    const list = await request(app).get('/api/v1/renderers');
    expect(list.body.renderers).toEqual([res.body]);
    expect((await request(app).get(`/api/v1/renderers/${res.body.id}`)).body).toEqual(res.body);
    expect((await request(app).delete(`/api/v1/renderers/${res.body.id}`)).status).toBe(204);
    expect((await request(app).get('/api/v1/renderers')).body.renderers).toEqual([]);
    const again = await request(app).delete(`/api/v1/renderers/${res.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(`There is no renderer ${res.body.id}`);
  });

  it('adds an A1111 renderer with its name; A1111 names no device, so hardware is null', async () => {
    const { app } = await createTestApp();
    const fake = await startFakeA1111();
    fakes.push(fake);
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'a1111', url: fake.url, name: 'Forge on the desk' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), kind: 'a1111', url: fake.url, name: 'Forge on the desk', hardware: null, createdAt: expect.any(String) });
    expect(fake.server.requests).toEqual(['GET /sdapi/v1/options']);
  });

  it('accepts the workflow as JSON text, as the form sends it', async () => {
    const { app } = await createTestApp();
    const fake = await fakeComfy();
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url, workflow: JSON.stringify(sdxlWorkflow()) });
    expect(res.status).toBe(201);
    expect(res.body.mapping.steps.node).toBe('3');
  });

  it('refuses an unreachable renderer with what happened, naming the url field; nothing is stored', async () => {
    const { app } = await createTestApp();
    const fake = await fakeComfy();
    await fake.refuseConnections();
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url, workflow: sdxlWorkflow() });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(`The renderer at ${fake.url} cannot be used: ${fake.url}/system_stats refused the connection`);
    expect(res.body.error.details).toEqual([{ field: 'url', message: expect.stringContaining('refused the connection') }]);
    expect((await request(app).get('/api/v1/renderers')).body.renderers).toEqual([]);
  });

  it('refuses a server that is not the kind named (an A1111 URL added as ComfyUI)', async () => {
    const { app } = await createTestApp();
    const a1111 = await startFakeA1111();
    fakes.push(a1111);
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: a1111.url, workflow: sdxlWorkflow() });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ field: 'url', message: expect.stringContaining('is this a ComfyUI server?') });
  });

  it('refuses a workflow without a sampler, or in the editor format, before contacting the renderer', async () => {
    const { app } = await createTestApp();
    const fake = await fakeComfy();
    const noSampler: Record<string, unknown> = sdxlWorkflow();
    delete noSampler['3'];
    const res = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url, workflow: noSampler });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: 'workflow', message: expect.stringContaining('has no sampler node') }]);
    const ui = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url, workflow: { nodes: [], links: [], version: 0.4 } });
    expect(ui.status).toBe(422);
    expect(ui.body.error.details[0].message).toContain('Export (API)');
    const missing = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url });
    expect(missing.body.error.details).toEqual([{ field: 'workflow', message: expect.stringContaining('workflow is required for ComfyUI') }]);
    const notJson = await request(app).post('/api/v1/renderers').send({ kind: 'comfyui', url: fake.url, workflow: '{"3": ' });
    expect(notJson.body.error.details).toEqual([{ field: 'workflow', message: expect.stringContaining('workflow is not JSON') }]);
    expect(fake.server.requests).toEqual([]);
  });

  it('refuses URLs that are not http(s) or carry credentials, bad kinds and unknown fields, without any request', async () => {
    const { app } = await createTestApp();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ kind: 'a1111', url: 'file:///etc/passwd' }, 'url', /url must start with http:\/\/ or https:\/\//],
      [{ kind: 'a1111', url: 'http://admin:pw@127.0.0.1:7860' }, 'url', /user name or password/],
      [{ kind: 'a1111', url: '' }, 'url', /url is required/],
      [{ kind: 'invokeai', url: 'http://127.0.0.1:9090' }, 'kind', /kind must be one of: comfyui, a1111/],
      [{ kind: 'a1111', url: 'http://127.0.0.1:7860', token: 'x' }, 'token', /unknown field 'token'/],
      [{ kind: 'a1111', url: 'http://127.0.0.1:1', workflow: sdxlWorkflow() }, 'workflow', /only for ComfyUI/],
    ];
    for (const [body, field, message] of cases) {
      const res = await request(app).post('/api/v1/renderers').send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.details[0], JSON.stringify(body)).toMatchObject({ field, message: expect.stringMatching(message) });
    }
    expect((await request(app).post('/api/v1/renderers').send([1])).status).toBe(400);
  });

  it('needs the token for writes when one is set; reads stay open', async () => {
    const token = 'renderers-test-token-123';
    const { app } = await createTestApp({ SWEETSPOT_TOKEN: token });
    const fake = await fakeComfy();
    const body = { kind: 'comfyui', url: fake.url, workflow: sdxlWorkflow() };
    const anonymous = await request(app).post('/api/v1/renderers').send(body);
    expect(anonymous.status).toBe(401);
    expect(fake.server.requests).toEqual([]);
    const signed = await request(app).post('/api/v1/renderers').set('Authorization', `Bearer ${token}`).send(body);
    expect(signed.status).toBe(201);
    expect((await request(app).get('/api/v1/renderers')).body.renderers).toHaveLength(1);
    expect((await request(app).delete(`/api/v1/renderers/${signed.body.id}`)).status).toBe(401);
    expect((await request(app).delete(`/api/v1/renderers/${signed.body.id}`).set('Authorization', `Bearer ${token}`)).status).toBe(204);
  });
});
