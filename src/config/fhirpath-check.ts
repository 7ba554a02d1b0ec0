/**
 * Load-time checks of the FHIRPath expressions in a configuration, with fhirpath.js
 * and the FHIR model of the configuration's release.
 *
 * fhirpath.js parses an expression at compile time but looks functions up only when
 * it evaluates them, so an unknown function (`invalid()`) would compile and fail on
 * the first resource. The reference tool rejects it at load, so this module also
 * walks the parse tree and checks every function name and its number of arguments.
 * The reference tool's two extension functions, `nodesByType('T')` and
 * `nodesByName('n')`, are accepted.
 *
 * Each expression is parsed once. fhirpath.js's `compile` of a string expression is that
 * same parse wrapped in a closure (its model and user functions are consulted only when the
 * closure runs), so it cannot reject an expression the parse accepted; compiling as well
 * parsed every rule twice, the larger part of the configuration's load time.
 * @module
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import stu3Model from 'fhirpath/fhir-context/stu3';
import type { Model } from 'fhirpath';
import type { FhirVersion } from './fhir-types.ts';

/** A problem with one expression. Messages never quote the expression. */
export interface ExpressionProblem {
  /** `syntax`: does not parse; `function`: unknown function or wrong arguments; `offline`: needs a network. */
  readonly kind: 'syntax' | 'function' | 'offline';
  /** A sentence without any part of the expression. */
  readonly message: string;
}

// Function names fhirpath.js 5.2.2 evaluates, with the numbers of arguments each accepts.
const FUNCTIONS: Readonly<Record<string, readonly number[]>> = (() => {
  const table: Record<string, number[]> = {};
  const add = (counts: number[], names: string): void => {
    for (const name of names.split(' ')) table[name] = counts;
  };
  add([0], 'empty not allTrue anyTrue allFalse anyFalse isDistinct distinct count sum min max avg weight ordinal single first last ' +
    'tail toInteger toLong toDecimal toString toDate toDateTime toTime toBoolean hasValue getValue htmlChecks htmlchecks ' +
    'convertsToBoolean convertsToInteger convertsToLong convertsToDecimal convertsToString convertsToDate convertsToDateTime ' +
    'convertsToTime convertsToQuantity upper lower length toChars trim abs ceiling exp floor ln sqrt truncate now today timeOfDay ' +
    'yearOf monthOf dayOf hourOf minuteOf secondOf millisecondOf timezoneOffsetOf dateOf timeOf children descendants type');
  add([0, 1], 'exists toQuantity pathname join round lowBoundary highBoundary');
  add([1], 'all subsetOf supersetOf where extension select ofType is as take skip combine union intersect exclude indexOf ' +
    'lastIndexOf startsWith endsWith contains split encode decode escape unescape log power repeat');
  add([1, 2], 'aggregate trace defineVariable substring matches matchesFull');
  add([2], 'replace replaceMatches');
  add([2, 3], 'iif');
  table['sort'] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  table['coalesce'] = [1, 2, 3, 4, 5, 6, 7, 8];
  // the reference tool's extensions
  table['nodesByType'] = [1];
  table['nodesByName'] = [1];
  return table;
})();

// Need a terminology server or FHIR server: never available to an offline anonymizer.
const OFFLINE_UNAVAILABLE = new Set(['resolve', 'memberOf']);

/**
 * The fhirpath.js model of a FHIR release.
 * @param version - `R4` or `Stu3`.
 * @returns The model tables fhirpath.js ships for that release.
 * @example Compile against STU3
 * ```ts
 * import fhirpath from 'fhirpath';
 * fhirpath.compile('Patient.animal', fhirModel('Stu3'));
 * ```
 */
export function fhirModel(version: FhirVersion): Model {
  return version === 'Stu3' ? stu3Model : r4Model;
}

interface AstNode {
  readonly type?: string;
  readonly text?: string;
  readonly children?: readonly AstNode[];
}

function checkFunctions(node: AstNode, problems: ExpressionProblem[]): void {
  if (node.type === 'Functn' && node.children !== undefined) {
    const name = node.children[0]?.text ?? '';
    const params = node.children.find((c) => c.type === 'ParamList');
    const count = params?.children?.length ?? 0;
    const accepted = FUNCTIONS[name];
    if (OFFLINE_UNAVAILABLE.has(name)) {
      problems.push({ kind: 'offline', message: 'uses a FHIRPath function that needs a terminology or FHIR server, which an offline anonymizer does not have' });
    } else if (accepted === undefined) {
      problems.push({ kind: 'function', message: 'calls a function that FHIRPath does not define' });
    } else if (!accepted.includes(count)) {
      problems.push({ kind: 'function', message: `calls a function with ${count} argument${count === 1 ? '' : 's'}, which it does not accept` });
    } else if ((name === 'nodesByType' || name === 'nodesByName') && !isStringLiteral(params?.children?.[0])) {
      problems.push({ kind: 'function', message: `calls ${name}() with an argument that is not a string literal` });
    }
  }
  for (const child of node.children ?? []) checkFunctions(child, problems);
}

function isStringLiteral(node: AstNode | undefined): boolean {
  let n = node;
  while (n !== undefined && n.type !== 'StringLiteral') {
    if (n.children?.length !== 1) return false;
    n = n.children[0];
  }
  return n !== undefined;
}

// "line: 1; column: 10; message: …" → the column only (the rest quotes the expression).
function syntaxMessage(err: unknown): string {
  const m = /column:\s*(\d+)/.exec(String((err as Error)?.message ?? ''));
  return m === null ? 'is not a valid FHIRPath expression' : `is not a valid FHIRPath expression (syntax error at character ${Number(m[1]) + 1})`;
}

/**
 * Rewrites the reference tool's double-quoted form `nodesByType("T")` (its rule
 * matcher accepts both quote styles) to the FHIRPath string literal `nodesByType('T')`.
 * Other expressions are returned unchanged.
 * @param path - A rule path.
 * @returns The path with single quotes in a whole-path `nodesByType`/`nodesByName` call.
 * @example Normalizing quotes
 * ```ts
 * normalizeExtensionQuotes('nodesByType("date")'); // "nodesByType('date')"
 * ```
 */
export function normalizeExtensionQuotes(path: string): string {
  return path.replace(/^(nodesBy(?:Type|Name))\("([A-Za-z0-9]+)"\)(\.[A-Za-z0-9]+)?$/, "$1('$2')$3");
}

/**
 * Writes the element name `div` (Narrative.div), which FHIRPath parses as the `div`
 * operator, as the delimited identifier `` `div` ``, outside string literals:
 * `Patient.text.div` → ``Patient.text.`div` ``. The meaning is unchanged.
 * @param path - A rule path.
 * @returns The path with every `.div` member step delimited.
 * @example Selecting the narrative's XHTML
 * ```ts
 * delimitDivSteps("Patient.text.div"); // 'Patient.text.`div`'
 * delimitDivSteps("Patient.where(id = 'x.div')"); // unchanged
 * ```
 */
export function delimitDivSteps(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < path.length && path[j] !== ch) j += path[j] === '\\' ? 2 : 1;
      out += path.slice(i, j + 1);
      i = j;
    } else if (ch === '.' && path.startsWith('div', i + 1) && !/[A-Za-z0-9_]/.test(path[i + 4] ?? '')) {
      out += '.`div`';
      i += 3;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The form of a rule path that is compiled and handed to the engine: the reference
 * tool's double-quoted `nodesByType("T")` in single quotes, and `.div` steps delimited.
 * @param path - A rule path as written.
 * @returns The normalized path (same meaning).
 * @example Both rewrites
 * ```ts
 * normalizeRulePath('nodesByType("Narrative").div'); // "nodesByType('Narrative').`div`"
 * ```
 */
export function normalizeRulePath(path: string): string {
  return delimitDivSteps(normalizeExtensionQuotes(path));
}

/**
 * Checks that an expression compiles with fhirpath.js (the same for every FHIR release) and
 * uses only functions that can run offline.
 * @param expression - A FHIRPath expression (rule path, generalize predicate or value).
 * @returns Every problem found; empty when the expression is usable.
 * @example A bad function and a syntax error
 * ```ts
 * checkFhirPath("Patient.name.where(use = 'official')"); // []
 * checkFhirPath('invalid()')[0]?.kind; // 'function'
 * checkFhirPath('$this >= 0 && $this < 10')[0]?.kind; // 'syntax'
 * ```
 */
export function checkFhirPath(expression: string): ExpressionProblem[] {
  let ast: AstNode;
  try {
    // What fhirpath.compile would do with a string; see the module's notes.
    ast = fhirpath.parse(expression) as AstNode;
  } catch (err) {
    return [{ kind: 'syntax', message: syntaxMessage(err) }];
  }
  const problems: ExpressionProblem[] = [];
  checkFunctions(ast, problems);
  return problems;
}
