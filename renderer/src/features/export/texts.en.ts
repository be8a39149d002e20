import type { ExportTexts } from './texts.zh'

export const exportEn: ExportTexts = {
  button: 'Export',
  title: 'Export to Excel',
  intro: 'Exports this list: the same view, filters and sort as on screen, only the clients you see in full (an agent: their own; a senior agent: their team\'s), phone numbers as you see them (masked ones stay masked).',
  watermark: 'The file carries your name and the time of the export, and every export is written to the audit log.',
  cap: 'At most {{cap}} rows per export.',
  reason: 'Reason for exporting',
  reasonRequired: 'This branch requires a reason for every export',
  reasonPlaceholder: 'e.g. monthly client review',
  start: 'Export',
  running: 'Exporting: {{done}} of {{total}} rows written',
  done: '{{n}} rows exported; the file is downloading',
  failed: 'The export failed; please try again later',
  settings: {
    title: 'Export settings',
    rowCap: 'Rows per export at most',
    requireReason: 'A reason is required for every export',
    saved: 'Export settings saved',
  },
}
