#!/usr/bin/env node
/*
 * Generates src/abi.ts, TypeScript's copy of the constants of the uapi
 * header kernel/include/uapi/linux/vnet.h (the single source of truth):
 * every #define with a value, every enumerator (except the __*_MAX
 * sentinels), and the layout of struct vnet_relay_info (SIZEOF_* and
 * OFFSETOF_*), in header order.  Identifiers the header takes from other
 * uapi headers (SIOCDEVPRIVATE) are read from those headers.
 *
 *   node scripts/gen-abi.js           write src/abi.ts
 *   node scripts/gen-abi.js --check   exit 1 if src/abi.ts is stale
 *   node scripts/gen-abi.js --print   print the constants as JSON
 *
 * test/native/abi.test.ts checks that the addon (which compiles the
 * header) exports exactly these values.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const HEADER = path.join(ROOT, 'kernel', 'include', 'uapi', 'linux', 'vnet.h');
const OUT = path.join(ROOT, 'src', 'abi.ts');
const INCLUDE_DIRS = [
  path.join(ROOT, 'kernel', 'include', 'uapi'),
  '/usr/include',
  `/usr/include/${process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch}-linux-gnu`,
];

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

/** #defines (name -> raw value text) and #includes of one header. */
function scanHeader(file) {
  const text = stripComments(fs.readFileSync(file, 'utf8'));
  const defines = new Map();
  const includes = [];
  for (const line of text.split('\n')) {
    let m = /^\s*#\s*define\s+([A-Za-z_]\w*)(?!\()\s*(.*?)\s*$/.exec(line);
    if (m) {
      defines.set(m[1], m[2]);
      continue;
    }
    m = /^\s*#\s*include\s*<([^>]+)>/.exec(line);
    if (m) includes.push(m[1]);
  }
  return { text, defines, includes };
}

function findInclude(name) {
  for (const dir of INCLUDE_DIRS) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

/** Parses `enum [tag] { A, B = expr, ... };` blocks, in order. */
function scanEnums(text) {
  const out = [];
  const re = /\benum\s*(\w*)\s*\{([^}]*)\}/g;
  let m;
  while ((m = re.exec(text))) {
    const entries = m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const [name, expr] = s.split('=').map((x) => x.trim());
        return { name, expr };
      });
    out.push({ tag: m[1], index: m.index, entries });
  }
  return out;
}

/** Parses `struct NAME { type field[N]; ... };` into fields. */
function scanStruct(text, name) {
  const m = new RegExp(`\\bstruct\\s+${name}\\s*\\{([^}]*)\\}`).exec(text);
  if (!m) throw new Error(`struct ${name} not found`);
  return m[1]
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((decl) => {
      const d = /^(.*?)\s*\b(\w+)\s*(?:\[\s*(\w+)\s*\])?$/.exec(decl.replace(/\s+/g, ' '));
      if (!d) throw new Error(`cannot parse field '${decl}'`);
      return { type: d[1].trim(), name: d[2], count: d[3] };
    });
}

const TYPE_SIZES = {
  char: 1, 'unsigned char': 1, __u8: 1, __s8: 1,
  __u16: 2, __s16: 2, __be16: 2, __le16: 2,
  __u32: 4, __s32: 4, __be32: 4, __le32: 4, int: 4, 'unsigned int': 4,
  __u64: 8, __s64: 8, __aligned_u64: 8,
};

function generate() {
  const main = scanHeader(HEADER);
  const values = new Map(); // name -> number | string, header order
  const foreign = new Map(); // identifiers from included headers
  const scannedIncludes = new Set();

  // Lazily scans the header's includes (recursively) for an identifier.
  function lookupForeign(id) {
    if (foreign.has(id)) return foreign.get(id);
    const queue = [...main.includes];
    while (queue.length) {
      const inc = queue.shift();
      if (scannedIncludes.has(inc)) continue;
      scannedIncludes.add(inc);
      const file = findInclude(inc);
      if (!file) continue;
      const h = scanHeader(file);
      for (const [k, v] of h.defines) if (!foreign.has(k)) foreign.set(k, { raw: v });
      queue.push(...h.includes);
      if (foreign.has(id)) break;
    }
    return foreign.get(id);
  }

  function evaluate(expr, ctx, depth = 0) {
    if (depth > 20) throw new Error(`recursion evaluating '${expr}'`);
    const s = expr.trim();
    if (/^"(?:[^"\\]|\\.)*"$/.test(s)) return JSON.parse(s);
    const substituted = s.replace(/\b([A-Za-z_]\w*)\b/g, (id) => {
      if (values.has(id)) return `(${values.get(id)})`;
      if (ctx.has(id)) return `(${ctx.get(id)})`;
      if (main.defines.has(id)) return `(${evaluate(main.defines.get(id), ctx, depth + 1)})`;
      const f = lookupForeign(id);
      if (f) return `(${evaluate(f.raw, ctx, depth + 1)})`;
      throw new Error(`unknown identifier '${id}' in '${expr}'`);
    });
    const numeric = substituted.replace(/\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b/g, (_m, n) => String(Number(n)));
    if (!/^[\s\d()+\-*/%<>|&~^]*$/.test(numeric)) throw new Error(`cannot evaluate '${expr}'`);
    const v = Function(`"use strict"; return (${numeric});`)();
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`bad value for '${expr}'`);
    return v;
  }

  // Walk the header in order: defines and enums, by position.
  const items = [];
  const defineRe = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?!\()[ \t]*(.*?)[ \t]*$/gm;
  let m;
  while ((m = defineRe.exec(main.text))) items.push({ index: m.index, kind: 'define', name: m[1], raw: m[2] });
  for (const e of scanEnums(main.text)) items.push({ index: e.index, kind: 'enum', enumDef: e });
  items.sort((a, b) => a.index - b.index);

  const enumCtx = new Map(); // every enumerator, sentinels included, for expressions
  // Enums first (defines such as VNET_MODE_MAX refer to their sentinels).
  for (const it of items.filter((i) => i.kind === 'enum')) {
    let next = 0;
    for (const { name, expr } of it.enumDef.entries) {
      const v = expr === undefined ? next : evaluate(expr, enumCtx);
      enumCtx.set(name, v);
      next = v + 1;
    }
  }
  for (const it of items) {
    if (it.kind === 'define') {
      if (it.raw === '' || it.name.startsWith('_')) continue; // include guard
      values.set(it.name, evaluate(it.raw, enumCtx));
    } else {
      for (const { name } of it.enumDef.entries) {
        if (!name.startsWith('__')) values.set(name, enumCtx.get(name));
      }
    }
  }

  // struct vnet_relay_info: natural alignment, as the C compiler lays it out.
  const fields = scanStruct(main.text, 'vnet_relay_info');
  let off = 0;
  let maxAlign = 1;
  const layout = [];
  for (const f of fields) {
    const size = TYPE_SIZES[f.type];
    if (!size) throw new Error(`unknown type '${f.type}' in struct vnet_relay_info`);
    const count = f.count === undefined ? 1 : evaluate(f.count, enumCtx);
    off = Math.ceil(off / size) * size;
    layout.push([f.name, off]);
    off += size * count;
    maxAlign = Math.max(maxAlign, size);
  }
  const sizeof = Math.ceil(off / maxAlign) * maxAlign;
  values.set('SIZEOF_VNET_RELAY_INFO', sizeof);
  for (const [name, o] of layout) values.set(`OFFSETOF_VNET_RELAY_INFO_${name.toUpperCase()}`, o);
  return values;
}

function render(values) {
  const lines = [
    '/*',
    ' * GENERATED by scripts/gen-abi.js from kernel/include/uapi/linux/vnet.h:',
    ' * do not edit; run `npm run build:abi`.  test/native/abi.test.ts checks',
    ' * these against the constants the addon compiled from the same header.',
    ' */',
    '',
  ];
  for (const [k, v] of values) lines.push(`export const ${k} = ${JSON.stringify(v)};`);
  lines.push('', '/** Every constant above, by name (what the addon exports as `constants`). */');
  lines.push('export const ABI = {');
  for (const k of values.keys()) lines.push(`  ${k},`);
  lines.push('} as const;', '');
  return lines.join('\n');
}

function main() {
  const values = generate();
  const text = render(values);
  const arg = process.argv[2];
  if (arg === '--print') {
    process.stdout.write(JSON.stringify(Object.fromEntries(values), null, 2) + '\n');
  } else if (arg === '--check') {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${path.relative(ROOT, OUT)} is stale: run npm run build:abi\n`);
      process.exit(1);
    }
  } else {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) fs.writeFileSync(OUT, text);
  }
}

if (require.main === module) main();
module.exports = { generate, render };
