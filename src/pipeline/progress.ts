/** What the runner tells a user while it works; the CLI supplies a bar, plain lines or nothing. */
export interface ProgressReporter {
  phase(name: string, total: number): void;
  tick(detail?: string): void;
  note(message: string): void;
  done(): void;
}

export const SILENT_PROGRESS: ProgressReporter = {
  phase: () => undefined,
  tick: () => undefined,
  note: () => undefined,
  done: () => undefined,
};
