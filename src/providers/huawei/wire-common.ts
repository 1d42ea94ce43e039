/** zod building blocks shared by the DCS and RDS wire schemas. */
import { z } from 'zod';
import { wireCount } from '../../core/drift.js';

/** int64 on the wire (`parseJsonLossless` gives a `bigint` past 2^53): a number; past 64 bits it does not fit. */
export const int64 = wireCount;

const isEmptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/**
 * A string that may be absent or null, and that doc examples show as `{}` (DCS `period` and
 * `error_code`, notes A.1 and Uncertainties 7): absent and `{}` become `null`.
 */
export const nullableString = z.preprocess((v) => (v === undefined || isEmptyObject(v) ? null : v), z.string().nullable());

export const tag = z.looseObject({ key: z.string(), value: z.string().nullish() });
