/**
 * Exact token counts for reporting prompt sizes (never for admission: Azure's estimate is character
 * based). Kept apart from estimate-cost.ts because loading the o200k rank table (gpt-4o, gpt-4.1,
 * o-series, gpt-5) costs tens of milliseconds, paid only by modules that import this one.
 */
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/** o200k token count of `text`. @returns tokens */
export function countTokens(text: string): number {
  return countO200k(text);
}
