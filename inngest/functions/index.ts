import type { InngestFunction } from "inngest";

/**
 * Every background function, served to Inngest by app/api/inngest/route.ts and
 * run by the in-process runner when no Inngest server is configured.
 */
export const functions: InngestFunction.Any[] = [];
