#!/usr/bin/env bash
# Prints the SQL that turns one schema into another, for authoring a migration.
#   scripts/migration-sql.sh                 # DDL of the whole schema from empty
#   scripts/migration-sql.sh OLD.prisma      # DDL from OLD.prisma to prisma/schema.prisma
# Prisma 7's migrate engine cannot be downloaded here; Prisma 6.19.3 with its JS
# engine and a pg adapter can diff two datamodels given any reachable database
# (it never writes to it). DIFF_DATABASE_URL defaults to the local server.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${PRISMA6_DIR:-/tmp/prisma6-diff}"
URL="${DIFF_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if [ ! -x "$WORK/node_modules/.bin/prisma" ]; then
  mkdir -p "$WORK" && (cd "$WORK" && npm init -y >/dev/null && npm install --silent prisma@6.19.3 @prisma/adapter-pg@6.19.3 pg >/dev/null)
fi
to_v6() { sed -e 's/provider = "prisma-client"/provider = "prisma-client-js"/' -e '/^  output   = /d' -e "s#^  provider = \"postgresql\"#  provider = \"postgresql\"\n  url = \"$URL\"#" "$1"; }
mkdir -p "$WORK/prisma"
to_v6 "$ROOT/prisma/schema.prisma" > "$WORK/prisma/new.prisma"
cat > "$WORK/prisma.config.ts" <<CONFIG
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/new.prisma",
  adapter: async () => new PrismaPg({ connectionString: "$URL" }),
} as any);
CONFIG
cd "$WORK"
export PRISMA_QUERY_ENGINE_LIBRARY=/dev/null PRISMA_SCHEMA_ENGINE_BINARY=/dev/null PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING=1
if [ $# -ge 1 ]; then
  to_v6 "$1" > prisma/old.prisma
  npx prisma migrate diff --from-schema-datamodel prisma/old.prisma --to-schema-datamodel prisma/new.prisma --script 2>/dev/null
else
  npx prisma migrate diff --from-empty --to-schema-datamodel prisma/new.prisma --script 2>/dev/null
fi
