/** Awaits a promise that must reject with an error of `type`, and returns that error. */
export async function rejectionOf<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const settled = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in settled)) throw new Error(`expected a rejection with ${type.name}, got a value`);
  if (!(settled.error instanceof type)) throw new Error(`expected a rejection with ${type.name}, got ${String(settled.error)}`);
  return settled.error;
}
