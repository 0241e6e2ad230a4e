/**
 * `path` (--path): the service's folder in its repository. Accepted: "." or a normalized relative POSIX path of plain
 * folder names; refused in one line that says what to pass: anything that could leave the repository or is not
 * normalized. A property: whatever is accepted stays inside the root, resolved from any root.
 */
import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, servicePathProblem } from '../../src/model/config';

const refused = (path: string) => {
  try {
    resolveConfig({ name: 'svc', path });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).option).toBe('path');
    return (err as Error).message;
  }
  throw new Error(`accepted ${path}`);
};

describe('path', () => {
  it('defaults to "." (the service is the whole repository)', () => {
    expect(resolveConfig({ name: 'svc' }).path).toBe('.');
  });

  it.each(['.', 'api', 'services/api', 'a/b/c', 'svc_1/v2.0', '.config/api', 'a-b/c.d'])('accepts %s', (path) => {
    expect(resolveConfig({ name: 'svc', path }).path).toBe(path);
  });

  it.each([
    '', '..', '../x', 'a/../b', 'a/..', '/abs', '/', './a', 'a/./b', 'a/', 'a//b', 'a\\b', 'C:/x', '.git', 'a/.git/b',
    'node_modules/x', 'a b', 'a/b\n', 'a$b', '~/x', 'a/*', `${'a'.repeat(101)}`,
  ])('refuses %j in one line saying what to pass', (path) => {
    const message = refused(path);
    expect(message).toBe(`invalid --path ${JSON.stringify(path)}: use a folder inside the repo, relative to its root, with / between folder names of letters, digits, . _ - (no .., ./, trailing /, .git or node_modules), e.g. --path services/api`);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names the property in .projenrc.ts', () => {
    try {
      resolveConfig({ name: 'svc', path: '../x' });
    } catch (err) {
      expect((err as ConfigError).inProjenrc()).toMatch(/^invalid path "\.\.\/x": .*e\.g\. path services\/api$/);
    }
  });

  it('accepts only paths that stay inside the root and have no .. (property)', () => {
    const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/), fc.constantFrom('..', '.', '', '.git', 'node_modules', 'a\\b', 'C:'));
    const candidate = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')),
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`),
      fc.string(),
    );
    fc.assert(
      fc.property(candidate, (path) => {
        if (servicePathProblem(path) !== undefined) return;
        const segments = path.split('/');
        expect(segments).not.toContain('..');
        expect(posix.isAbsolute(path)).toBe(false);
        const inside = posix.resolve('/repo/root', path);
        expect(inside === '/repo/root' || inside.startsWith('/repo/root/')).toBe(true);
        // normalized: what it names is what it says
        expect(posix.normalize(path)).toBe(path);
      }),
      { numRuns: 2000 },
    );
  });
});
