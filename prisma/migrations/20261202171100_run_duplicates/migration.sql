-- Catalogue items a run had already read on an earlier page: counted so the run page's counts add up
-- (fetched = new + updated + restored + unchanged + duplicates + invalid).
ALTER TABLE "SyncRun" ADD COLUMN "duplicates" INTEGER NOT NULL DEFAULT 0;
