import safeRegex from 'safe-regex2';
import { TerminologyRuleError } from './errors.js';

export const MAX_PATTERN_LENGTH = 200;
/** Findings one regex rule may report in one text; a runaway rule cannot flood the editor. */
export const MAX_REGEX_MATCHES_PER_TEXT = 1000;
/** 'i' under 'u' folds case the Unicode way, a little wider than the literals' ASCII-only folding. */
export const REGEX_FLAGS = 'giu';
/**
 * How far back a lookbehind may look, in characters. Style rules need "not preceded by"
 * (台北队 is wrong, 中国台北队 right), which is a short fixed text; a lookbehind that could
 * reach back without bound would rescan the text before every position (quadratic or worse).
 */
export const MAX_LOOKBEHIND_LENGTH = 20;

interface PatternScan {
  backreference: boolean;
  /** Bodies of the lookbehinds, e.g. '中国|中华' for (?<!中国|中华). */
  lookbehinds: string[];
  /** A lookaround inside a lookbehind: refused, its reach is hard to bound. */
  nestedLookaround: boolean;
  /** An unbounded quantifier on a group with alternation, e.g. (a|a)* — safe-regex2 misses it. */
  quantifiedAlternation: boolean;
  /** The pattern with every assertion (^ $ \b \B lookarounds) removed. */
  withoutAssertions: string;
  /** The pattern with each lookbehind turned into a plain group, for safe-regex2 (which cannot parse them). */
  lookbehindsAsGroups: string;
}

/** *, + and {n,} are unbounded; {n} and {n,m} count as large above 10 repetitions. */
function largeQuantifier(src: string, at: number): boolean {
  const q = /^(?:([*+])|\{(\d+)(?:(,)(\d*))?\})/.exec(src.slice(at));
  if (!q) return false;
  if (q[1] !== undefined) return true;
  if (q[3] !== undefined && !q[4]) return true;
  return Number(q[4] || q[2]) > 10;
}

interface OpenGroup {
  lookaround: boolean;
  lookbehind: boolean;
  /** where the group's body starts in the source */
  bodyStart: number;
  hasAlternation: boolean;
}

/**
 * A small lexer over a source that already compiled with the 'u' flag (so it is
 * well-formed): finds constructs we refuse and strips assertions for the empty-match test.
 */
function scanPattern(src: string): PatternScan {
  const scan: PatternScan = {
    backreference: false,
    lookbehinds: [],
    nestedLookaround: false,
    quantifiedAlternation: false,
    withoutAssertions: '',
    lookbehindsAsGroups: '',
  };
  let asGroups = '';
  const stack: OpenGroup[] = [];
  let dropDepth = 0; // > 0 while inside a lookaround being removed
  let out = '';
  // `out` drops assertions; `asGroups` keeps everything, lookbehind openers rewritten
  const emit = (s: string, keep = s): void => {
    if (dropDepth === 0) out += s;
    asGroups += keep;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      if (/[1-9]/.test(e) || e === 'k') scan.backreference = true;
      if (e === 'b' || e === 'B') {
        emit('', src.slice(i, i + 2));
        i += 2;
        continue;
      }
      // \p{…}, \P{…}, \u{…}: keep the braces with the escape so they are not read as a quantifier
      let j = i + 2;
      if ('pPu'.includes(e) && src[j] === '{') j = src.indexOf('}', j) + 1;
      emit(src.slice(i, j));
      i = j;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      emit(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '(') {
      const lookbehind = src.startsWith('(?<=', i) || src.startsWith('(?<!', i);
      const lookaround = lookbehind || src.startsWith('(?=', i) || src.startsWith('(?!', i);
      if (lookaround && stack.some((g) => g.lookbehind)) scan.nestedLookaround = true;
      stack.push({ lookaround, lookbehind, bodyStart: i + (lookbehind ? 4 : 0), hasAlternation: false });
      if (lookaround) dropDepth++;
      if (lookbehind) {
        emit('(', '(?:');
        i += 4;
        continue;
      }
      emit('(');
      i++;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (g?.lookbehind) scan.lookbehinds.push(src.slice(g.bodyStart, i));
      emit(')');
      if (g?.lookaround) dropDepth--;
      if (g?.hasAlternation) {
        if (largeQuantifier(src, i + 1)) scan.quantifiedAlternation = true;
        // ((a|a)c)* is as ambiguous as (a|a)*: the enclosing group inherits the flag
        const parent = stack[stack.length - 1];
        if (parent) parent.hasAlternation = true;
      }
      i++;
      continue;
    }
    if (c === '|') {
      const top = stack[stack.length - 1];
      if (top) top.hasAlternation = true;
      emit('|');
      i++;
      continue;
    }
    if (c === '^' || c === '$') {
      emit('', c);
      i++;
      continue;
    }
    emit(c);
    i++;
  }
  scan.withoutAssertions = out;
  scan.lookbehindsAsGroups = asGroups;
  return scan;
}

/**
 * The most characters a piece of a well-formed 'u' source (without backreferences) can match;
 * Infinity when a quantifier is unbounded. Assertions and lookarounds count 0.
 */
export function maxMatchLength(src: string): number {
  let i = 0;
  const skipClass = (): void => {
    i++;
    while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
    i++;
  };
  const quantifier = (): number => {
    const q = /^(?:([*+])|(\?)|\{(\d+)(?:(,)(\d*))?\})\??/.exec(src.slice(i));
    if (!q) return 1;
    i += q[0].length;
    if (q[1] !== undefined) return Infinity;
    if (q[2] !== undefined) return 1;
    if (q[4] !== undefined) return q[5] ? Number(q[5]) : Infinity;
    return Number(q[3]);
  };
  const atom = (): number => {
    const c = src[i]!;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      if (e === 'b' || e === 'B') {
        i += 2;
        return 0;
      }
      if ('pPu'.includes(e) && src[i + 2] === '{') i = src.indexOf('}', i) + 1;
      else if (e === 'u') i += 6;
      else if (e === 'x') i += 4;
      else if (e === 'c') i += 3;
      else i += 2;
      return 1;
    }
    if (c === '[') {
      skipClass();
      return 1;
    }
    if (c === '(') {
      const look = /^\(\?<?[=!]/.exec(src.slice(i));
      const named = /^\(\?<[^>=!]+>/.exec(src.slice(i));
      i += look ? look[0].length : named ? named[0].length : src.startsWith('(?:', i) ? 3 : 1;
      const inner = alternation();
      i++; // ')'
      return look ? 0 : inner;
    }
    if (c === '^' || c === '$') {
      i++;
      return 0;
    }
    i += (src.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    return 1;
  };
  const sequence = (): number => {
    let total = 0;
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const a = atom();
      const q = quantifier();
      total += a === 0 ? 0 : a * q;
    }
    return total;
  };
  const alternation = (): number => {
    let best = sequence();
    while (src[i] === '|') {
      i++;
      best = Math.max(best, sequence());
    }
    return best;
  };
  return alternation();
}

/** Whether some match of the pattern could be zero-length (assertions taken as always true). */
function canMatchEmpty(src: string, withoutAssertions: string): boolean {
  try {
    return new RegExp(withoutAssertions, 'u').test('');
  } catch {
    // stripping should keep the source valid; if not, fall back to the plain test
    return new RegExp(src, 'u').test('');
  }
}

/**
 * Throws TerminologyRuleError unless the source is a regex we are willing to run on
 * every story of every tenant. safe-regex2 only bounds star height and repetition
 * count; polynomial cases like \d*\d*x still pass, hence the length cap and the
 * bounded search loop.
 */
export function validateRegexPattern(src: string, ruleId: string | null = null): void {
  if (src.length === 0) throw new TerminologyRuleError('empty', ruleId);
  if (src.length > MAX_PATTERN_LENGTH) throw new TerminologyRuleError('too_long', ruleId);
  try {
    new RegExp(src, REGEX_FLAGS);
  } catch (err) {
    throw new TerminologyRuleError('syntax', ruleId, { cause: err });
  }
  const scan = scanPattern(src);
  // Backreferences make matching NP-hard in general.
  if (scan.backreference) throw new TerminologyRuleError('backreference', ruleId);
  // A lookbehind is matched backwards from every position: bounded, it costs a constant per
  // position; unbounded (a*, .+) it rescans the text before each one. Bounded ones pass.
  if (scan.nestedLookaround || scan.lookbehinds.some((body) => maxMatchLength(body) > MAX_LOOKBEHIND_LENGTH)) {
    throw new TerminologyRuleError('lookbehind', ruleId);
  }
  // safe-regex2 cannot parse lookbehinds: it judges their bodies as plain groups, which
  // keeps its star-height check over them ((?<!(a+)+)x is still refused)
  if (scan.quantifiedAlternation || !safeRegex(scan.lookbehindsAsGroups))
    throw new TerminologyRuleError('catastrophic', ruleId);
  if (canMatchEmpty(src, scan.withoutAssertions)) throw new TerminologyRuleError('empty_match', ruleId);
}

/** Validates and compiles with flags 'giu'. */
export function compileRegexRule(src: string, ruleId: string | null = null): RegExp {
  validateRegexPattern(src, ruleId);
  return new RegExp(src, REGEX_FLAGS);
}

/**
 * Every non-overlapping match of a global regex. The loop is bounded by the text
 * length and MAX_REGEX_MATCHES_PER_TEXT, and steps past zero-length matches, so it
 * always ends even for a rule that slipped past validation.
 */
export function forEachRegexMatch(re: RegExp, text: string, onMatch: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  let found = 0;
  for (let guard = 0; guard <= text.length && found < MAX_REGEX_MATCHES_PER_TEXT; guard++) {
    const m = re.exec(text);
    if (!m) break;
    if (m[0].length === 0) {
      const cp = text.codePointAt(re.lastIndex) ?? 0;
      re.lastIndex += cp > 0xffff ? 2 : 1;
      continue;
    }
    found++;
    onMatch(m);
  }
  re.lastIndex = 0;
}

/** Expands $$, $&, $n / $nn and $<name> in a replacement, as String#replace would. */
export function expandReplacement(template: string, m: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  return template.replace(/\$(\$|&|<([^>]*)>|\d{1,2})/g, (whole, token: string, name: string | undefined) => {
    if (token === '$') return '$';
    if (token === '&') return m[0];
    if (name !== undefined) return m.groups?.[name] ?? '';
    // $nn falls back to $n followed by a digit when there is no group nn
    const two = Number(token);
    if (two >= 1 && two < m.length) return m[two] ?? '';
    const one = Number(token[0]);
    if (token.length === 2 && one >= 1 && one < m.length) return (m[one] ?? '') + token[1];
    return whole;
  });
}
