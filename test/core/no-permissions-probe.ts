// Run by runtime.test.ts as `deno run --no-prompt test/core/no-permissions-probe.ts`, with no
// permission flag: it must load the default core (WASM, embedded) and compute an HMAC without
// reading a file, the network or the environment.
import { getCore } from '../../src/core/index.ts';

const core = getCore();
const [tag] = core.hmacHexBatch('sha256', new TextEncoder().encode('123'), ['abc']);
console.log(`${core.kind} ${tag}`);
