/**
 * Aho–Corasick automaton over UTF-16 code units.
 *
 * Why code units, not code points: JS strings index by code unit, so offsets go straight
 * to slice() and to editors' selections. A well-formed pattern still matches only at
 * code-point boundaries (a surrogate never equals a BMP character), so emoji are safe.
 *
 * Case: ASCII A–Z fold to a–z on both sides; nothing else folds. Full Unicode
 * lower-casing can change a string's length ('İ' → 'i̇'), which would break offsets,
 * and Chinese has no case. Full-width Latin letters (Ａ) are not folded.
 *
 * Layout: every code unit used by a pattern gets a dense symbol id. The root's
 * transitions are a dense array (it has the most children); all other transitions live
 * in one open-addressing hash table keyed by (state, symbol), in typed arrays.
 */
export interface AcMatch {
  patternIndex: number;
  start: number;
  end: number;
}

const NONE = -1;
const UNITS = 0x10000;

function foldUnit(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function hashKey(state: number, sym: number, mask: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(sym, 0x85ebca6b)) & mask;
}

export class AhoCorasick {
  readonly patternCount: number;
  readonly stateCount: number;
  readonly alphabetSize: number;
  /** code unit → symbol id; 0 means no pattern uses it (fast reset to root). */
  private readonly symbolOf = new Int32Array(UNITS);
  /** symbol → child of the root; 0 means none. */
  private readonly rootNext: Int32Array;
  private readonly hashState: Int32Array;
  private readonly hashSym: Int32Array;
  private readonly hashTarget: Int32Array;
  private readonly mask: number;
  private readonly fail: Int32Array;
  /** Nearest state on the fail chain that ends a pattern (output link), or NONE. */
  private readonly dict: Int32Array;
  /** state → first pattern ending exactly here; duplicates chain via nextPattern. */
  private readonly firstPattern: Int32Array;
  private readonly nextPattern: Int32Array;
  private readonly patternLength: Int32Array;

  constructor(patterns: readonly string[]) {
    const n = patterns.length;
    let total = 0;
    let maxLen = 0;
    for (const p of patterns) {
      if (p.length === 0) throw new RangeError('Aho–Corasick patterns must not be empty');
      total += p.length;
      if (p.length > maxLen) maxLen = p.length;
    }
    this.patternCount = n;

    let alphabet = 0;
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const c = foldUnit(p.charCodeAt(i));
        if (this.symbolOf[c] === 0) this.symbolOf[c] = ++alphabet;
      }
    }
    // Upper-case ASCII shares the lower-case symbol, so search needs no folding step.
    for (let c = 65; c <= 90; c++) this.symbolOf[c] = this.symbolOf[c + 32]!;
    this.alphabetSize = alphabet;

    const maxStates = total + 1;
    let cap = 16;
    while (cap < maxStates * 2) cap *= 2; // load factor ≤ 0.5 keeps probes short
    this.mask = cap - 1;
    this.hashState = new Int32Array(cap).fill(NONE);
    this.hashSym = new Int32Array(cap);
    this.hashTarget = new Int32Array(cap);
    this.rootNext = new Int32Array(alphabet + 1);
    this.firstPattern = new Int32Array(maxStates).fill(NONE);
    this.nextPattern = new Int32Array(n).fill(NONE);
    this.patternLength = new Int32Array(n);
    const parent = new Int32Array(maxStates);
    const symOfState = new Int32Array(maxStates);
    const depth = new Int32Array(maxStates);

    // Insert in reverse and prepend, so each duplicate chain is in input order.
    let states = 1;
    for (let pi = n - 1; pi >= 0; pi--) {
      const p = patterns[pi]!;
      this.patternLength[pi] = p.length;
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const sym = this.symbolOf[p.charCodeAt(i)]!;
        let t = this.next(s, sym);
        if (t === NONE) {
          t = states++;
          if (s === 0) this.rootNext[sym] = t;
          else this.put(s, sym, t);
          parent[t] = s;
          symOfState[t] = sym;
          depth[t] = depth[s]! + 1;
        }
        s = t;
      }
      this.nextPattern[pi] = this.firstPattern[s]!;
      this.firstPattern[s] = pi;
    }
    this.stateCount = states;

    // Breadth-first order by counting sort on depth: a state's fail target is shallower.
    const byDepth = new Int32Array(maxLen + 2);
    for (let s = 1; s < states; s++) byDepth[depth[s]! + 1]!++;
    for (let d = 1; d < byDepth.length; d++) byDepth[d]! += byDepth[d - 1]!;
    const order = new Int32Array(states - 1);
    for (let s = 1; s < states; s++) order[byDepth[depth[s]!]!++] = s;

    this.fail = new Int32Array(states);
    this.dict = new Int32Array(states).fill(NONE);
    for (let k = 0; k < order.length; k++) {
      const s = order[k]!;
      const p = parent[s]!;
      const sym = symOfState[s]!;
      let f = 0;
      if (p !== 0) {
        f = this.fail[p]!;
        for (;;) {
          if (f === 0) {
            f = this.rootNext[sym]!;
            break;
          }
          const t = this.get(f, sym);
          if (t !== NONE) {
            f = t;
            break;
          }
          f = this.fail[f]!;
        }
      }
      this.fail[s] = f;
      this.dict[s] = this.firstPattern[f] !== NONE ? f : this.dict[f]!;
    }
  }

  /**
   * Calls onMatch for every occurrence of every pattern, overlapping ones included,
   * ordered by end offset, then longest first. No allocation per match.
   */
  forEachMatch(text: string, onMatch: (patternIndex: number, start: number, end: number) => void): void {
    const { symbolOf, rootNext, fail, dict, firstPattern, nextPattern, patternLength } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const sym = symbolOf[text.charCodeAt(i)]!;
      if (sym === 0) {
        s = 0;
        continue;
      }
      for (;;) {
        if (s === 0) {
          s = rootNext[sym]!;
          break;
        }
        const t = this.get(s, sym);
        if (t !== NONE) {
          s = t;
          break;
        }
        s = fail[s]!;
      }
      if (s === 0) continue;
      let o = firstPattern[s] !== NONE ? s : dict[s]!;
      while (o !== NONE) {
        for (let p = firstPattern[o]!; p !== NONE; p = nextPattern[p]!) {
          onMatch(p, i + 1 - patternLength[p]!, i + 1);
        }
        o = dict[o]!;
      }
    }
  }

  /** All matches, overlapping ones included. */
  search(text: string): AcMatch[] {
    const out: AcMatch[] = [];
    this.forEachMatch(text, (patternIndex, start, end) => out.push({ patternIndex, start, end }));
    return out;
  }

  /** Number of matches without building result objects. */
  count(text: string): number {
    let c = 0;
    this.forEachMatch(text, () => c++);
    return c;
  }

  private next(s: number, sym: number): number {
    if (s === 0) return this.rootNext[sym] === 0 ? NONE : this.rootNext[sym]!;
    return this.get(s, sym);
  }

  private get(s: number, sym: number): number {
    const { hashState, hashSym, mask } = this;
    let h = hashKey(s, sym, mask);
    for (;;) {
      const k = hashState[h]!;
      if (k === NONE) return NONE;
      if (k === s && hashSym[h] === sym) return this.hashTarget[h]!;
      h = (h + 1) & mask;
    }
  }

  private put(s: number, sym: number, target: number): void {
    let h = hashKey(s, sym, this.mask);
    while (this.hashState[h] !== NONE) h = (h + 1) & this.mask;
    this.hashState[h] = s;
    this.hashSym[h] = sym;
    this.hashTarget[h] = target;
  }
}
