-- The admin courses table sorted by level ordered all of a platform's courses
-- by a CASE over lower(level) that no index held: with 100,000 courses each
-- first page sorted them all (0.49 s in PostgreSQL). The rank is now a stored
-- column PostgreSQL writes (GENERATED: it cannot disagree with the level; the
-- order is lib/catalogue/levels.ts's COURSE_LEVEL_ORDER, NULL for no level),
-- and two indexes hold the table's whole ORDER BY, tie-breakers included, one
-- per direction (no level last in both, so one index scanned backwards would
-- not do), for the rows the table lists by default: a platform's active
-- Coursera courses. The first page is then read from the index.
ALTER TABLE "Course" ADD COLUMN "levelRank" INTEGER GENERATED ALWAYS AS (
  CASE
    WHEN "level" IS NULL THEN NULL
    WHEN lower("level") = 'beginner' THEN 0
    WHEN lower("level") = 'intermediate' THEN 1
    WHEN lower("level") = 'advanced' THEN 2
    WHEN lower("level") = 'mixed' THEN 3
    ELSE 4
  END
) STORED;

CREATE INDEX "Course_active_levelRank_asc_idx" ON "Course" ("platformId", "levelRank" ASC NULLS LAST, lower("level") ASC, "id" ASC)
  WHERE "source" = 'COURSERA' AND "retiredAt" IS NULL;

CREATE INDEX "Course_active_levelRank_desc_idx" ON "Course" ("platformId", "levelRank" DESC NULLS LAST, lower("level") DESC, "id" DESC)
  WHERE "source" = 'COURSERA' AND "retiredAt" IS NULL;

-- A language filter's first page in title order walked the platform's title
-- index and dropped every other language's rows on the way (96 ms when the
-- matching titles come late in the alphabet); this index walks only the
-- language's rows, already in the table's default order (27 ms, same data).
CREATE INDEX "Course_active_language_title_idx" ON "Course" ("platformId", "language", "title", "id")
  WHERE "source" = 'COURSERA' AND "retiredAt" IS NULL;
