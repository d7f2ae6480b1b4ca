/**
The report formats, in a module with no imports: `--format`'s choices in `--help` without loading
the renderers (source/report/index.ts re-exports them).
*/

export const REPORT_FORMATS = ['text', 'json', 'md', 'html', 'ktap', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
