/**
 * The all-or-nothing write, on an in-memory file system: the render is
 * replaced by a fake repo of a few files, or fails, or is interrupted.
 */
import { join } from 'node:path';
import { fs, vol } from 'memfs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs', async () => {
  const memfs = await import('memfs');
  return { ...memfs.fs, default: memfs.fs };
});

const behaviour = vi.hoisted(() => ({ mode: 'ok' as 'ok' | 'fail' | 'interrupt' }));

// The render is replaced by a fake repo of a few files; it fails, or is interrupted, while it is made.
vi.mock('../src/project-base', () => ({ synthProjenBase: () => ({ files: {} }) }));
vi.mock('../src/render/repo-files', () => ({
  newRepoFiles: (config: { name: string }) => {
    if (behaviour.mode === 'fail') throw new Error('synth failed half-way');
    if (behaviour.mode === 'interrupt') process.emit('SIGINT', 'SIGINT');
    const files = new Map([
      ['.projenrc.ts', { content: `new AwsPipelineProject({\n  name: "${config.name}",\n});\n` }],
      ['package.json', { content: JSON.stringify({ name: config.name }), mode: 0o644 }],
      ['docs/pipeline.md', { content: '# pipeline\n', mode: 0o644 }],
    ]);
    return { files, root: new Map() };
  },
}));

const { scaffold, isNonEmptyDir } = await import('../src/scaffold');
const { resolveConfig } = await import('../src/model/config');

const config = resolveConfig({ name: 'svc' });

function tree(dir: string): Record<string, string | null> {
  return vol.toJSON(dir) as Record<string, string | null>;
}

describe('scaffold', () => {
  beforeEach(() => {
    vol.reset();
    vol.mkdirSync('/work', { recursive: true });
    behaviour.mode = 'ok';
  });

  it('renders into a staging folder and moves it into place', async () => {
    await scaffold(config, '/work/svc');
    expect(Object.keys(tree('/work/svc')).sort()).toEqual(['/work/svc/.projenrc.ts', '/work/svc/docs/pipeline.md', '/work/svc/package.json']);
    expect(fs.readFileSync('/work/svc/.projenrc.ts', 'utf8')).toContain('name: "svc"');
    expect(fs.readdirSync('/work')).toEqual(['svc']);
  });

  it('leaves nothing behind when the render fails', async () => {
    behaviour.mode = 'fail';
    await expect(scaffold(config, '/work/svc')).rejects.toThrow('synth failed half-way');
    expect(fs.readdirSync('/work')).toEqual([]);
  });

  it('leaves nothing behind when interrupted', async () => {
    behaviour.mode = 'interrupt';
    await expect(scaffold(config, '/work/svc')).rejects.toThrow('interrupted (SIGINT): nothing was written to /work/svc');
    expect(fs.readdirSync('/work')).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('writes into an existing folder (--force): replaces same-named files, keeps the rest', async () => {
    vol.fromJSON({ '/work/svc/package.json': 'old', '/work/svc/docs/notes.md': 'mine', '/work/svc/src/app.js': 'mine' });
    expect(isNonEmptyDir('/work/svc')).toBe(true);
    await scaffold(config, '/work/svc');
    expect(tree('/work/svc')).toMatchObject({
      '/work/svc/package.json': JSON.stringify({ name: 'svc' }),
      '/work/svc/docs/notes.md': 'mine',
      '/work/svc/docs/pipeline.md': '# pipeline\n',
      '/work/svc/src/app.js': 'mine',
    });
    expect(fs.readdirSync('/work')).toEqual(['svc']);
  });

  it('treats a missing or empty folder as empty', () => {
    expect(isNonEmptyDir('/work/none')).toBe(false);
    fs.mkdirSync('/work/empty');
    expect(isNonEmptyDir(join('/work', 'empty'))).toBe(false);
  });
});
