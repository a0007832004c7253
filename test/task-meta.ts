/** The per-test metadata properties attach for the summary reporter. */
export interface GmemcheckMeta {
  opsChecked: number;
  sequences: number;
  rules: string[];
}

declare module '@vitest/runner' {
  interface TaskMeta {
    gmemcheck?: GmemcheckMeta;
  }
}
