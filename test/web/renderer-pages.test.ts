import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeA1111 } from '../helpers/fake-a1111.js';
import { sdxlWorkflow, startFakeComfyUi } from '../helpers/fake-comfyui.js';
import { createTestApp } from '../helpers/test-app.js';

const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe('the renderers page', () => {
  it('adds a ComfyUI renderer from the form and lists it with its hardware and workflow mapping; removes it', async () => {
    const { app } = await createTestApp();
    const fake = await startFakeComfyUi();
    fakes.push(fake);
    const empty = await request(app).get('/renderers');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No renderer yet');
    expect(empty.text).toContain('<a href="/renderers" aria-current="page">Renderers</a>');

    const added = await request(app).post('/renderers').type('form').send({ kind: 'comfyui', url: fake.url, name: '', workflow: JSON.stringify(sdxlWorkflow()) });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/renderers');
    const page = await request(app).get('/renderers');
    expect(page.text).toContain(`<code>${fake.url}</code>`);
    expect(page.text).toContain('NVIDIA GeForce RTX 4090');
    expect(page.text).toContain('<dt>Steps</dt><dd>node 3 KSampler · steps = 20</dd>');
    expect(page.text).toContain('<dt>Checkpoint</dt><dd>node 4 CheckpointLoaderSimple · ckpt_name = sd_xl_base_1.0.safetensors</dd>');

    const id = /action="\/renderers\/(\d+)\/delete"/.exec(page.text)?.[1];
    expect((await request(app).post(`/renderers/${id}/delete`)).status).toBe(303);
    expect((await request(app).get('/renderers')).text).toContain('No renderer yet');
  });

  it('shows a bad field beside the form, keeps what was typed, and stores nothing', async () => {
    const { app } = await createTestApp();
    const res = await request(app).post('/renderers').type('form').send({ kind: 'a1111', url: 'ftp://gpu.local/', name: 'studio' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('url must start with http:// or https://');
    expect(res.text).toContain('value="ftp://gpu.local/"');
    expect(res.text).toContain('No renderer yet');
  });

  it('escapes what a user and a renderer wrote', async () => {
    const { app } = await createTestApp();
    const fake = await startFakeA1111();
    fakes.push(fake);
    await request(app).post('/renderers').type('form').send({ kind: 'a1111', url: fake.url, name: '<script>alert(1)</script>' }).expect(303);
    const comfy = await startFakeComfyUi({ deviceName: 'cuda:0 <img src=x onerror=alert(2)> : native' });
    fakes.push(comfy);
    await request(app).post('/renderers').type('form').send({ kind: 'comfyui', url: comfy.url, workflow: JSON.stringify(sdxlWorkflow()) }).expect(303);
    const page = await request(app).get('/renderers');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
  });

  it('sends a page write without the sign-in to the sign-in page when a token is set', async () => {
    const { app } = await createTestApp({ SWEETSPOT_TOKEN: 'renderers-page-token-1' });
    const res = await request(app).post('/renderers').type('form').send({ kind: 'a1111', url: 'http://127.0.0.1:7860' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });
});
