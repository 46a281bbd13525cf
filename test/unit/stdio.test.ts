/*
 * The commands' stdout and stderr (src/stdio.ts, fdOutput): write(2) on
 * the descriptor, whole chunks, a closed reader ends output quietly, and
 * a descriptor someone made non-blocking falls back to Node's stream
 * without reordering the output.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { devMajor, fdOutput, FdOps, NodeWritable } from '../../src/stdio';

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** A descriptor: `script` says what each write(2) does (bytes taken, or an error code). */
function fakeFd(script: (number | string)[] = []) {
  const got: string[] = [];
  let ttyAsked = 0;
  const ops: FdOps = {
    write(_fd, buf, off) {
      const step = script.shift() ?? buf.length - off;
      if (typeof step === 'string') throw errno(step);
      const n = Math.min(step, buf.length - off);
      got.push(Buffer.from(buf.subarray(off, off + n)).toString('latin1'));
      return n;
    },
    isatty() {
      ttyAsked++;
      return true;
    },
  };
  return { ops, got, ttyAsked: () => ttyAsked };
}

/** Node's stream, as the fallback: records what reaches it. */
function fakeStream() {
  const got: string[] = [];
  const stream: NodeWritable = {
    write(c) {
      got.push(Buffer.from(c).toString('latin1'));
      return true;
    },
    on: () => undefined,
  };
  let made = 0;
  return {
    make: () => {
      made++;
      return stream;
    },
    got,
    made: () => made,
  };
}

/** src/stdio.ts as plain JS, for a child process (no dist/ needed). */
function stdioJs(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  return ts.transpileModule(fs.readFileSync(path.resolve(__dirname, '../../src/stdio.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}
const LOAD_STDIO = `
  const m = { exports: {} };
  new Function('exports', 'require', 'module', process.env.STDIO)(m.exports, require, m);
  const { fdOutput } = m.exports;`;

describe('fdOutput', () => {
  test('writes each chunk whole, continuing short writes; never creates the Node stream', () => {
    const fd = fakeFd([3, 1]);
    const s = fakeStream();
    const out = fdOutput(1, s.make, fd.ops);
    expect(out.write('hello\n')).toBe(true);
    expect(out.write('x')).toBe(true);
    expect(fd.got.join('')).toBe('hello\nx');
    expect(fd.got.slice(0, 3)).toEqual(['hel', 'l', 'o\n']);
    expect(s.made()).toBe(0);
  });

  test('EINTR: the write is retried', () => {
    const fd = fakeFd(['EINTR', 2]);
    const out = fdOutput(1, fakeStream().make, fd.ops);
    expect(out.write('abc')).toBe(true);
    expect(fd.got.join('')).toBe('abc');
  });

  test.each(['EPIPE', 'EIO', 'EBADF'])('%s: closed quietly, later writes dropped', (code) => {
    const fd = fakeFd([2, code]);
    const out = fdOutput(1, fakeStream().make, fd.ops);
    expect(out.closed).toBe(false);
    expect(out.write('abcd')).toBe(false);
    expect(out.closed).toBe(true);
    expect(out.write('more')).toBe(false);
    expect(fd.got).toEqual(['ab']);
  });

  test('EAGAIN: the rest of the chunk and every later one go to Node stream, in order', () => {
    const fd = fakeFd([2, 'EAGAIN']);
    const s = fakeStream();
    const out = fdOutput(1, s.make, fd.ops);
    out.write('abcd');
    out.write('ef');
    expect(fd.got).toEqual(['ab']);
    expect(s.got).toEqual(['cd', 'ef']);
    expect(s.made()).toBe(1);
  });

  test('multi-byte text split by a short write reaches the stream intact', () => {
    const fd = fakeFd([1, 'EAGAIN']);
    const s = fakeStream();
    fdOutput(1, s.make, fd.ops).write('é!');
    expect(Buffer.from(fd.got.join('') + s.got.join(''), 'latin1').toString('utf8')).toBe('é!');
  });

  test('isTTY is asked once, and only when a command wants to know', () => {
    const fd = fakeFd();
    const out = fdOutput(1, fakeStream().make, fd.ops);
    out.write('x');
    expect(fd.ttyAsked()).toBe(0);
    expect(out.isTTY).toBe(true);
    expect(out.isTTY).toBe(true);
    expect(fd.ttyAsked()).toBe(1);
  });

  test('the real descriptor: a file receives the bytes; a file is not a terminal', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-stdio-')), 'out');
    const fdn = fs.openSync(file, 'w');
    try {
      const out = fdOutput(fdn, () => {
        throw new Error('no fallback expected');
      });
      expect(out.isTTY).toBe(false);
      out.write('één\n');
      out.write('two\n');
    } finally {
      fs.closeSync(fdn);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('één\ntwo\n');
  });

  test('devMajor decodes a dev_t as glibc does', () => {
    expect(devMajor(fs.statSync('/dev/null').rdev)).toBe(1);
    expect(devMajor(0x8803)).toBe(136); // /dev/pts/3
    expect(devMajor(0x1_0000_0000 * 0x123000 + 0x45_607)).toBe(0x123456); // glibc: high major bits at bit 44
  });

  test('/dev/null is a character device but no terminal', () => {
    const fdn = fs.openSync('/dev/null', 'w');
    try {
      expect(fdOutput(fdn, () => process.stdout).isTTY).toBe(false);
    } finally {
      fs.closeSync(fdn);
    }
  });

  test('a real pipe whose reader has gone: the writer ends quietly with its own status', () => {
    // a child writing up to 10 MB through fdOutput into `head -c 10`
    const js = `${LOAD_STDIO}
      const out = fdOutput(1, () => process.stdout);
      let n = 0;
      while (!out.closed && n < 100000) { out.write('x'.repeat(100) + '\\n'); n++; }
      process.stderr.write('closed=' + out.closed + ' early=' + (n < 100000) + '\\n');
      process.exitCode = 7;
    `;
    const p = spawnSync('sh', ['-c', `{ "${process.execPath}" -e "$JS"; echo "status=$?" >&2; } | head -c 10 >/dev/null`], {
      env: { ...process.env, JS: js, STDIO: stdioJs() },
      encoding: 'utf8',
    });
    expect(p.stderr).toBe('closed=true early=true\nstatus=7\n');
  });

  test('a pipe made non-blocking by another process: the output arrives whole, in order', () => {
    // python sets O_NONBLOCK on the pipe, then becomes node, which writes
    // 4 MiB in numbered lines to a reader that starts late
    const js = `${LOAD_STDIO}
      const out = fdOutput(1, () => process.stdout);
      for (let i = 0; i < 65536; i++) out.write(String(i).padStart(63, '0') + '\\n');
    `;
    const py = 'import fcntl,os,sys; fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])';
    const p = spawnSync('sh', ['-c', `python3 -c "$PY" "${process.execPath}" -e "$JS" | { sleep 0.3; cat; }`], {
      env: { ...process.env, JS: js, PY: py, STDIO: stdioJs() },
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    expect(p.stderr).toBe('');
    const lines = p.stdout.split('\n');
    expect(lines).toHaveLength(65537);
    expect(lines.slice(0, -1).every((l, i) => Number(l) === i)).toBe(true);
  });
});
