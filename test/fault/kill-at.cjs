'use strict';
/**
 * The fault suite's way to stop a process at a chosen write, with no hook in
 * the code under test. Preloaded (`--require`, through NODE_OPTIONS so the
 * repo's own projen and tsx get it too), it wraps Node's fs: the calls that
 * change something under CAP_FAULT_ROOT (a write, an open for writing, a
 * rename, link, unlink, rm, mkdir of a missing folder, chmod, copy, and
 * each write to a file opened there) are
 * counted per process, and the CAP_FAULT_AT-th is not made: the process is
 * killed with SIGKILL (CAP_FAULT_CODE=kill) or the call fails with that
 * errno. With CAP_FAULT_COUNT, each process appends its count to that file.
 */
const fs = require('fs');
const { syncBuiltinESMExports } = require('module');

const MUTATING = ['writeFileSync', 'openSync', 'writeSync', 'renameSync', 'linkSync', 'unlinkSync', 'rmSync', 'rmdirSync', 'mkdirSync', 'chmodSync', 'copyFileSync', 'symlinkSync', 'cpSync', 'appendFileSync'];

/** Whether a call changes something under `root` (paths starting with `root`; `skip` gets the rest of the path). */
function changes(name, args, root, skip, exists, fds) {
  if (name === 'writeSync') return fds.has(args[0]);
  if (name === 'closeSync') return false;
  const under = args.slice(0, 2).some((p) => typeof p === 'string' && p.startsWith(root) && !(skip && skip(p.slice(root.length).replace(/^\//, ''))));
  if (!under) return false;
  if (name === 'openSync') return typeof args[1] === 'string' ? /[wa+]/.test(args[1]) : typeof args[1] === 'number' && (args[1] & 3) !== 0;
  if (name === 'mkdirSync') return !exists(String(args[0]));
  return true;
}

/** Wraps fs so that `onChange(name, args)` runs before each call that changes something under `root`; returns the undo. */
function wrapFs(root, onChange, skip) {
  const saved = {};
  const exists = fs.existsSync;
  const fds = new Set();
  for (const name of [...MUTATING, 'closeSync']) {
    saved[name] = fs[name];
    fs[name] = function (...args) {
      const counted = changes(name, args, root, skip, exists, fds);
      if (counted) onChange(name, args);
      const result = saved[name].apply(this, args);
      if (counted && name === 'openSync') fds.add(result);
      if (name === 'closeSync') fds.delete(args[0]);
      return result;
    };
  }
  syncBuiltinESMExports();
  return () => {
    Object.assign(fs, saved);
    syncBuiltinESMExports();
  };
}

module.exports = { MUTATING, wrapFs };

const root = process.env.CAP_FAULT_ROOT;
if (root) {
  const at = Number(process.env.CAP_FAULT_AT || 0);
  const code = process.env.CAP_FAULT_CODE || 'kill';
  const countFile = process.env.CAP_FAULT_COUNT;
  const append = fs.appendFileSync;
  let seen = 0;
  wrapFs(root, (name, args) => {
    seen += 1;
    if (seen !== at) return;
    if (code === 'kill') process.kill(process.pid, 'SIGKILL');
    throw Object.assign(new Error(`${code}: injected fault, ${name} '${String(args[0])}'`), { code });
  });
  if (countFile) process.on('exit', () => append(countFile, `${process.pid} ${seen}\n`));
}
