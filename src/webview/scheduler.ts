// Timing for the view: streaming renders batched into animation frames, and a one-second tick for
// the "waiting" indicators.

export interface Renderable {
  render(): void;
}

/**
 * Renders dirty views at most once per animation frame. A frame whose renders were slow pushes the
 * next one back (render time × 2), so a huge growing block cannot hog the main thread: the text
 * still arrives, the screen just catches up in larger steps.
 */
export class FrameScheduler {
  private readonly dirty = new Set<Renderable>();
  private frame: number | undefined;
  private notBefore = 0;
  private readonly afterRender: (() => void)[] = [];

  request(view: Renderable): void {
    this.dirty.add(view);
    this.arm();
  }

  /** Runs after each batch of renders (e.g. keeping the list scrolled to the bottom). */
  onAfterRender(callback: () => void): void {
    this.afterRender.push(callback);
  }

  /** Renders now what is pending (before a full-state replacement, or in tests). */
  flush(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.run();
  }

  cancel(view: Renderable): void {
    this.dirty.delete(view);
  }

  private arm(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (performance.now() < this.notBefore) this.arm();
      else this.run();
    });
  }

  private run(): void {
    if (this.dirty.size === 0) return;
    const start = performance.now();
    const views = [...this.dirty];
    this.dirty.clear();
    for (const view of views) view.render();
    for (const callback of this.afterRender) callback();
    const cost = performance.now() - start;
    this.notBefore = performance.now() + cost * 2;
  }
}

/** Calls its listeners once a second while it has any. */
export class Ticker {
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;

  add(listener: () => void): void {
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.listeners.forEach((l) => l()), 1000);
  }

  delete(listener: () => void): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
