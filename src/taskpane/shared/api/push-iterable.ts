// Turns a push-style stream (callbacks per event, a promise for the end) into an AsyncIterable, the
// shape the Excel workflows consume. Items arrive in order; the promise's rejection ends iteration
// with that error.

export function pushIterable<Item>(start: (push: (item: Item) => void) => Promise<void>): AsyncIterable<Item> {
  return {
    [Symbol.asyncIterator]: () => {
      const queue: Item[] = [];
      let finished = false;
      let failure: { error: unknown } | undefined;
      let wake: (() => void) | undefined;
      const notify = () => {
        wake?.();
        wake = undefined;
      };
      start((item) => {
        queue.push(item);
        notify();
      }).then(
        () => {
          finished = true;
          notify();
        },
        (error: unknown) => {
          failure = { error };
          notify();
        },
      );
      return {
        next: async (): Promise<IteratorResult<Item>> => {
          for (;;) {
            const item = queue.shift();
            if (item !== undefined) return { value: item, done: false };
            if (failure !== undefined) throw failure.error;
            if (finished) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
      };
    },
  };
}
