import { inquirySchema, type InquiryData } from './jsonSchema.ts';

/**
 * The brief as versioned JSON (docs/export-format.md). It is validated
 * against the schema on the way out, so every file we write can be imported
 * again as `from`; a mismatch is our bug and throws.
 */
export function renderJson(data: InquiryData): string {
  return `${JSON.stringify(inquirySchema.parse(data), null, 2)}\n`;
}
