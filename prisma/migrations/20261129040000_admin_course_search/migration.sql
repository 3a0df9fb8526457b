-- The admin course table searches titles with ILIKE '%…%' and must stay fast
-- at 100,000 courses per platform: a trigram GIN index serves the substring
-- search; a (platformId, title) b-tree serves the default sort by title with
-- LIMIT without sorting the whole catalogue. Both are non-unique, so they live
-- in the migration only (schema.prisma cannot express the trigram one).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Course_title_trgm_idx" ON "Course" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Course_platformId_title_idx" ON "Course"("platformId", "title");

-- The learner statistics page lists a platform's rows by last activity, and its
-- cached aggregates are keyed by the platform's latest statistics write.
-- CreateIndex
CREATE INDEX "LearnerCourseStat_platformId_lastActivityAt_idx" ON "LearnerCourseStat"("platformId", "lastActivityAt" DESC NULLS LAST);

-- CreateIndex
CREATE INDEX "LearnerCourseStat_platformId_updatedAt_idx" ON "LearnerCourseStat"("platformId", "updatedAt");
