import "server-only";
import type { InngestFunction } from "inngest";
import { catalogueSync } from "@/inngest/functions/catalogue-sync";
import { catalogueSchedule, statisticsSchedule } from "@/inngest/functions/sync-schedule";
import { statisticsSync } from "@/inngest/functions/statistics-sync";

/**
 * Every background function, served to Inngest by app/api/inngest/route.ts and
 * run by the in-process runner when no Inngest server is configured.
 */
export const functions: InngestFunction.Any[] = [catalogueSync, catalogueSchedule, statisticsSync, statisticsSchedule];
