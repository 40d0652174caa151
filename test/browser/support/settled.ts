// Reads a value from the page until it is the one expected (or time runs out), then returns it for
// the assertion. The pane renders asynchronously: a single read can see the state before the update.
export async function settled<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMilliseconds = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
