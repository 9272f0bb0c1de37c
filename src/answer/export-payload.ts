/**
 * What an "Export this week" control carries: only the format. The channel is never in it: it is
 * where the control was pressed, as the platform reports it, so nobody can ask for another channel's
 * items by editing a payload. Decoded strictly on the way back, like every button payload.
 */
import { EXPORT_FORMATS, type ExportFormat } from '../digest/export-formats.ts';
import { payloadObject } from './actions.ts';

export interface ExportPayload {
  /** The file's format. */
  x: ExportFormat;
}

export function encodeExport(payload: ExportPayload): string {
  return JSON.stringify(payload);
}

/** The format a control or form names, or undefined for anything else (never trusted). */
export function exportFormatOf(raw: unknown): ExportFormat | undefined {
  return typeof raw === 'string' && (EXPORT_FORMATS as readonly string[]).includes(raw)
    ? (raw as ExportFormat)
    : undefined;
}

export function decodeExport(raw: unknown): ExportPayload | undefined {
  const x = exportFormatOf(payloadObject(raw, 100)?.x);
  return x ? { x } : undefined;
}
