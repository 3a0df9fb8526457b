-- The admin course table's title search compared every title with ILIKE, which
-- folds the case of each title it tests: ≈ 10 ms to count a common word's first
-- 1,000 matches among 100,000 titles. A stored lower-cased copy compared with
-- LIKE does the same in ≈ 4 ms. PostgreSQL writes it (GENERATED), so it can
-- never disagree with the title. The trigram index moves to it, so a rare
-- word is still found through the index instead of a scan.
ALTER TABLE "Course" ADD COLUMN "titleKey" text GENERATED ALWAYS AS (lower("title")) STORED;

-- DropIndex
DROP INDEX "Course_title_trgm_idx";

-- CreateIndex
CREATE INDEX "Course_titleKey_trgm_idx" ON "Course" USING GIN ("titleKey" gin_trgm_ops);
