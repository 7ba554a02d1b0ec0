/**
 * `health-anonymizer decrypt`: for key holders, decrypts values written by the `encrypt`
 * method (Base64 of IV and AES-CBC ciphertext). The key comes from `--key-file` (its
 * `encryptKey`) or `HEALTH_ANONYMIZER_ENCRYPT_KEY`; values from the arguments or, when none
 * are given, one per stdin line. Plain text goes to stdout only.
 * @module
 */
import process from 'node:process';
import { ConfigError, UsageError } from '../errors.ts';
import { FHIR_KEY_ENV_VARS, parseKeyFile } from '../config/fhir-keys.ts';
import type { FhirConfigDiagnostic } from '../config/fhir-diagnostics.ts';
import { decryptValue } from '../methods/encrypt.ts';
import { parseDecryptArgs } from './args.ts';
import { envLookup, readTextFile } from './config-request.ts';
import { EXIT } from './meta.ts';
import { LineSplitter } from '../fhir/io/lines.ts';

/**
 * Runs `decrypt`.
 * @param argv - Arguments after `decrypt`.
 * @returns The exit code (0, or 1 when a value could not be decrypted).
 * @throws {@link UsageError} when no key is available; `KeySizeError` for a bad key.
 */
export async function runDecryptCommand(argv: readonly string[]): Promise<number> {
  const args = parseDecryptArgs(argv);
  let key: string | undefined;
  if (args.keyFile !== undefined) {
    const problems: FhirConfigDiagnostic[] = [];
    const keys = parseKeyFile({ text: await readTextFile(args.keyFile, 'key file'), file: args.keyFile }, problems);
    if (problems.some((p) => p.severity === 'error')) throw new ConfigError('invalid key file', problems, { location: { file: args.keyFile } });
    key = keys.encryptKey;
  }
  key ??= envLookup(FHIR_KEY_ENV_VARS.encryptKey) || undefined;
  if (key === undefined) throw new UsageError(`no encrypt key: give --key-file FILE (with "encryptKey") or set ${FHIR_KEY_ENV_VARS.encryptKey}`);
  let failed = 0;
  const one = (value: string, where: { line?: number; argument?: number }): void => {
    try {
      process.stdout.write(decryptValue(key, value.trim()) + '\n');
    } catch (err) {
      failed++;
      const at = where.line !== undefined ? `line ${where.line}` : `argument ${where.argument}`;
      const code = (err as { code?: string }).code ?? 'ERR_PROCESSING';
      process.stderr.write(`error [${code}]: cannot decrypt the value at ${at}\n`);
      process.stdout.write('\n');
    }
  };
  if (args.values.length > 0) {
    args.values.forEach((v, i) => one(v, { argument: i + 1 }));
  } else {
    const splitter = new LineSplitter({ file: '-' });
    const decoder = new TextDecoder();
    for await (const piece of process.stdin as AsyncIterable<Uint8Array>) {
      for (const l of splitter.push(decoder.decode(piece, { stream: true }))) one(l.text, { line: l.line });
    }
    for (const l of [...splitter.push(decoder.decode()), ...splitter.end()]) one(l.text, { line: l.line });
  }
  return failed > 0 ? EXIT.inputFailed : EXIT.ok;
}
