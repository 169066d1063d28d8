/**
 * A small well-formedness check for the XML the portal writes (no DTDs, no
 * CDATA): balanced elements, quoted attributes, known entities, nothing raw
 * in text. Returns the problems found; none means well-formed.
 */
const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function checkText(text: string, where: number, problems: string[]): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) problems.push(`bad entity at ${where + i}`);
  }
  if (text.includes('>') && text.includes(']]>')) problems.push(`]]> in text at ${where}`);
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim()) problems.push(`text outside the root at ${i}`);
    checkText(text, i, problems);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) return [...problems, 'unclosed comment'];
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) return [...problems, `unclosed tag at ${lt}`];
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = body.split(/\s/, 1)[0] ?? '';
      if (!NAME.test(name)) problems.push(`bad element name ${JSON.stringify(name)}`);
      const attrs = body.slice(name.length).trim();
      const ATTR = /^([A-Za-z_][\w.:-]*)="([^"<]*)"\s*/;
      let rest = attrs;
      while (rest) {
        const m = ATTR.exec(rest);
        if (!m) {
          problems.push(`bad attributes in <${name}>: ${rest.slice(0, 40)}`);
          break;
        }
        checkText(m[2]!, lt, problems);
        rest = rest.slice(m[0].length);
      }
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
    i = gt + 1;
  }
  if (stack.length) problems.push(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The text of every `<name>…</name>` (entities left as written). */
export function texts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
}
