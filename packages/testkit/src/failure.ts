/** What a promise rejected with, or null when it resolved: for asserting on a refusal's reason or code. */
export const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );
