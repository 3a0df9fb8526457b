/** `npm run migrate`: applies pending migrations to DATABASE_URL (production deploys). */
import { migrate } from "@/lib/database/migrate";
import { requireEnv } from "@/lib/env";

const result = await migrate(requireEnv("DATABASE_URL"));
console.log(result.applied.length ? `Applied: ${result.applied.join(", ")}` : "Database is up to date.");
