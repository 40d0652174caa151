// A tiny observable state holder: the preview adapters write into it and the preview views render it
// through React's useSyncExternalStore, so whatever the pane writes shows up in the sample document.

export type Listener = () => void;

export class PreviewStore<State> {
  private readonly listeners = new Set<Listener>();

  constructor(private state: State) {}

  get = (): State => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (state: State) => State): void {
    this.state = change(this.state);
    for (const listener of this.listeners) listener();
  }
}
