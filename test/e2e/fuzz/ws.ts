// A minimal graphql-transport-ws client for the isolation fuzzer: one socket per subscription,
// authenticated in connection_init as the console does, recording every message it receives.
import WebSocket from 'ws';

export interface WsMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface SubscriptionProbe {
  /** every message for the subscription, in order of arrival */
  readonly messages: WsMessage[];
  /** resolves with the first `error`, `complete` or `closed` message, or null after `timeoutMs` */
  ended(timeoutMs: number): Promise<WsMessage | null>;
  close(): void;
}

export async function subscribe(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<SubscriptionProbe> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const messages: WsMessage[] = [];
  const waiters: ((m: WsMessage) => void)[] = [];
  let acked: () => void = () => {};
  const ack = new Promise<void>((resolve) => (acked = resolve));
  ws.on('message', (raw: WebSocket.RawData) => {
    const m = JSON.parse(String(raw)) as WsMessage;
    if (m.type === 'connection_ack') return acked();
    if (m.type === 'ping') return ws.send(JSON.stringify({ type: 'pong' }));
    messages.push(m);
    if (m.type === 'error' || m.type === 'complete') for (const w of waiters.splice(0)) w(m);
  });
  // a socket the server closes has ended too (recorded as a message of type `closed`)
  ws.on('close', (code: number) => {
    const m = { type: 'closed', payload: { code } };
    messages.push(m);
    for (const w of waiters.splice(0)) w(m);
  });
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await Promise.race([
    ack,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no connection_ack within 10 s')), 10_000)),
  ]);
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  return {
    messages,
    ended: (timeoutMs) => {
      const done = messages.find((m) => m.type !== 'next');
      if (done) return Promise.resolve(done);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
    close: () => ws.close(),
  };
}
