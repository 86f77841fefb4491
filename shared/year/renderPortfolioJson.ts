import { portfolioSchema, type PortfolioData } from './portfolio.ts';

/**
 * The portfolio as versioned JSON (docs/export-format.md). Validated on the
 * way out, so every file we write can be carried into next year as `from`;
 * a mismatch is our bug and throws.
 */
export function renderPortfolioJson(data: PortfolioData): string {
  return `${JSON.stringify(portfolioSchema.parse(data), null, 2)}\n`;
}
