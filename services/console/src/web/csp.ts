// Strict CSP for <style> elements: Ant Design's CSS-in-JS stamps the page's nonce on its own tags
// (ConfigProvider csp), but a few helper styles of its dependencies (scroll locking under a modal,
// scrollbar measuring) are inserted without one. This script is the only code the page runs, so
// it stamps the nonce on any style element it inserts; markup injected as HTML still gets none.
export const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

type Insert = (this: Node, node: Node, child?: Node | null) => Node;
const stamp = (node: Node): void => {
  if (nonce && node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
};
for (const method of ['appendChild', 'insertBefore'] as const) {
  const original = Node.prototype[method] as Insert;
  const patched: Insert = function (this: Node, node: Node, child?: Node | null) {
    stamp(node);
    return method === 'appendChild' ? original.call(this, node) : original.call(this, node, child ?? null);
  };
  (Node.prototype as unknown as Record<string, Insert>)[method] = patched;
}
