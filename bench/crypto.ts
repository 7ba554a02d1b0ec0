/**
 * Crypto core benchmark: HMAC-SHA-256 of many short values and AES-256-CBC encryption of many
 * short strings in the reference tool's `encrypt` format, comparing the WASM core (one batch
 * call, and one call per value), @noble, node:crypto and WebCrypto. Implementations take turns
 * inside one process (round-robin) and the median of the repetitions is reported.
 *
 * Usage: `node build/bench/crypto.js [--quick]`, `deno run -A bench/crypto.ts`, `bun bench/crypto.ts`.
 * The last line printed is one JSON object with the runtime and the speed-up ratios.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createHmac, randomFillSync } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { cbc } from '@noble/ciphers/aes.js';
import { createWasmCore, WASM_SHA256 } from '../src/core/index.ts';

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string }; process?: { version: string; argv: string[] } };
const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}` : `node ${g.process?.version.replace(/^v/, '')}`;
const quick = (g.process?.argv ?? []).includes('--quick');

const REPS = quick ? 3 : 5;
const HMAC_N = quick ? 100_000 : 1_000_000;
const HMAC_SLOW_N = quick ? 20_000 : 200_000; // noble and WebCrypto: per-value cost is measured on fewer values
const AES_N = quick ? 20_000 : 100_000;
const IN_FLIGHT = 1000;

function shortStrings(n: number, seed: number): string[] {
  let x = seed;
  const next = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 0x100000000);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const len = 16 + Math.floor(next() * 25);
    const codes: number[] = [];
    for (let j = 0; j < len; j++) codes.push(33 + Math.floor(next() * 94));
    // One call builds a flat string, like the values JSON.parse gives (not a rope built by +=).
    out[i] = String.fromCharCode(...codes);
  }
  return out;
}

const enc = new TextEncoder();
const hmacKey = enc.encode('a-cryptoHash-key-of-32-bytes-!!!');
const aesKey = enc.encode('704ab12c8e3e46d4bea600ef62a6bec7');
const core = createWasmCore();
let sink = 0;

type Impl = { name: string; n: number; run: (values: string[]) => Promise<void> | void };

const hmacImpls: Impl[] = [
  { name: 'WASM batch (hmacBatch)', n: HMAC_N, run: (v) => { sink ^= core.hmacBatch('sha256', hmacKey, v)[0]!; } },
  { name: 'WASM batch hex (hmacHexBatch)', n: HMAC_N, run: (v) => { sink ^= core.hmacHexBatch('sha256', hmacKey, v).length; } },
  { name: 'WASM one call per value', n: HMAC_N, run: (v) => { for (const s of v) sink ^= core.hmac('sha256', hmacKey, s)[0]!; } },
  { name: 'node:crypto createHmac', n: HMAC_N, run: (v) => { for (const s of v) sink ^= createHmac('sha256', hmacKey).update(s).digest()[0]!; } },
  { name: '@noble/hashes hmac', n: HMAC_SLOW_N, run: (v) => { for (const s of v) sink ^= hmac(sha256, hmacKey, enc.encode(s))[0]!; } },
  {
    name: `WebCrypto sign (${IN_FLIGHT} in flight)`, n: HMAC_SLOW_N, run: async (v) => {
      const key = await crypto.subtle.importKey('raw', hmacKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      for (let i = 0; i < v.length; i += IN_FLIGHT) {
        const part = await Promise.all(v.slice(i, i + IN_FLIGHT).map((s) => crypto.subtle.sign('HMAC', key, enc.encode(s))));
        sink ^= part.length;
      }
    },
  },
];

const ivPool = new Uint8Array(4096 * 16);
const aesImpls: Impl[] = [
  { name: 'WASM batch (encryptTextsCbcBase64)', n: AES_N, run: (v) => { sink ^= core.encryptTextsCbcBase64(aesKey, v).length; } },
  {
    name: 'WASM one call per value', n: AES_N, run: (v) => {
      for (let i = 0; i < v.length; i++) {
        if ((i & 4095) === 0) crypto.getRandomValues(ivPool);
        const iv = ivPool.subarray((i & 4095) * 16, (i & 4095) * 16 + 16);
        const ct = core.aesCbcEncrypt(aesKey, iv, v[i]!);
        const joined = new Uint8Array(16 + ct.length);
        joined.set(iv);
        joined.set(ct, 16);
        sink ^= core.toBase64(joined).length;
      }
    },
  },
  {
    name: 'node:crypto createCipheriv', n: AES_N, run: (v) => {
      for (let i = 0; i < v.length; i++) {
        if ((i & 4095) === 0) randomFillSync(ivPool);
        const iv = ivPool.subarray((i & 4095) * 16, (i & 4095) * 16 + 16);
        const c = createCipheriv('aes-256-cbc', aesKey, iv);
        sink ^= Buffer.concat([iv, c.update(v[i]!, 'utf8'), c.final()]).toString('base64').length;
      }
    },
  },
  {
    name: '@noble/ciphers cbc', n: AES_N, run: (v) => {
      for (let i = 0; i < v.length; i++) {
        if ((i & 4095) === 0) crypto.getRandomValues(ivPool);
        const iv = ivPool.slice((i & 4095) * 16, (i & 4095) * 16 + 16);
        const ct = cbc(aesKey, iv).encrypt(enc.encode(v[i]!));
        sink ^= Buffer.concat([iv, ct]).toString('base64').length;
      }
    },
  },
  {
    name: `WebCrypto AES-CBC (${IN_FLIGHT} in flight)`, n: AES_N, run: async (v) => {
      const key = await crypto.subtle.importKey('raw', aesKey, 'AES-CBC', false, ['encrypt']);
      for (let i = 0; i < v.length; i += IN_FLIGHT) {
        const part = await Promise.all(v.slice(i, i + IN_FLIGHT).map(async (s) => {
          const iv = crypto.getRandomValues(new Uint8Array(16));
          const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, enc.encode(s)));
          return Buffer.concat([iv, ct]).toString('base64');
        }));
        sink ^= part.length;
      }
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(title: string, impls: Impl[], values: string[]): Promise<Map<string, number>> {
  const times = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  for (const impl of impls) await impl.run(values.slice(0, 2000)); // warm-up
  for (let rep = 0; rep < REPS; rep++) {
    for (const impl of impls) {
      const part = values.slice(0, impl.n);
      const t0 = performance.now();
      await impl.run(part);
      times.get(impl.name)!.push(((performance.now() - t0) * 1e6) / impl.n);
    }
  }
  const med = new Map<string, number>();
  const base = median(times.get(impls[0]!.name)!);
  console.log(`\n${title} (${runtime}; ns per value, median of ${REPS}; ratio = time / WASM batch)`);
  console.log(`${'implementation'.padEnd(40)} ${'values'.padStart(9)} ${'ns/value'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const impl of impls) {
    const m = median(times.get(impl.name)!);
    med.set(impl.name, m);
    console.log(`${impl.name.padEnd(40)} ${String(impl.n).padStart(9)} ${m.toFixed(0).padStart(10)} ${(m / base).toFixed(2).padStart(7)}`);
  }
  return med;
}

function crossCheck(values: string[]): void {
  const batch = core.hmacHexBatch('sha256', hmacKey, values);
  for (let i = 0; i < values.length; i++) {
    if (createHmac('sha256', hmacKey).update(values[i]!).digest('hex') !== batch[i]) throw new Error(`HMAC mismatch at value ${i}`);
  }
  const ivs = crypto.getRandomValues(new Uint8Array(values.length * 16));
  const out = core.encryptTextsCbcBase64(aesKey, values, ivs);
  for (let i = 0; i < values.length; i++) {
    const iv = ivs.subarray(i * 16, i * 16 + 16);
    const c = createCipheriv('aes-256-cbc', aesKey, iv);
    if (Buffer.concat([iv, c.update(values[i]!, 'utf8'), c.final()]).toString('base64') !== out[i]) throw new Error(`AES mismatch at value ${i}`);
  }
}

const hmacValues = shortStrings(HMAC_N, 1);
const aesValues = shortStrings(AES_N, 2);
crossCheck(hmacValues.slice(0, 1000));
console.log(`crypto bench: ${runtime}, wasm sha256 ${WASM_SHA256.slice(0, 16)}…, outputs cross-checked against node:crypto`);
const h = await measure(`HMAC-SHA-256 of ${HMAC_N.toLocaleString('en')} values of 16–40 bytes`, hmacImpls, hmacValues);
const a = await measure(`AES-256-CBC, ${AES_N.toLocaleString('en')} strings of 16–40 bytes to Base64(IV ‖ ciphertext)`, aesImpls, aesValues);
const ratio = (x: number, y: number): number => Math.round((x / y) * 100) / 100;
if (sink === 0.5) console.log('');
console.log(JSON.stringify({
  bench: 'crypto',
  runtime,
  hmacBatchVsNodeCrypto: ratio(h.get('node:crypto createHmac')!, h.get('WASM batch (hmacBatch)')!),
  hmacBatchVsNoble: ratio(h.get('@noble/hashes hmac')!, h.get('WASM batch (hmacBatch)')!),
  aesCbcVsNodeCrypto: ratio(a.get('node:crypto createCipheriv')!, a.get('WASM batch (encryptTextsCbcBase64)')!),
}));
