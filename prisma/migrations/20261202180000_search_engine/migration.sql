-- Learner search as a search engine (lib/learning/search/): accents ignored,
-- typos forgiven, skills ranked above partners.

-- Accents: a text search configuration that folds them ("École" and "ecole"
-- give the same lexeme) and lower-cases, without stemming or stop words, so
-- every language of the catalogue is handled alike.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION catalogue_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION catalogue_search
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- The course's search document, now by field in the order a learner ranks
-- them: title (A), Coursera's skills (B), partners (C), description (D).
DROP INDEX IF EXISTS "Course_searchVector_idx";
ALTER TABLE "Course" DROP COLUMN "searchVector";
ALTER TABLE "Course" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('catalogue_search'::regconfig, "title"), 'A') ||
  setweight(to_tsvector('catalogue_search'::regconfig, jsonb_path_query_array("courseraSkills", '$[*].name')), 'B') ||
  setweight(to_tsvector('catalogue_search'::regconfig, jsonb_path_query_array("partners", '$[*].name')), 'C') ||
  setweight(to_tsvector('catalogue_search'::regconfig, "description"), 'D')
) STORED;
CREATE INDEX "Course_searchVector_idx" ON "Course" USING GIN ("searchVector");

-- Each ranked field on its own too, so that a search reads courses tier by tier
-- (title, then skills, then partners, then anywhere: lib/learning/catalogue-
-- queries.ts) and stops once a page is full, instead of ranking every match:
-- with its own column and index, each tier is an exact index condition and has
-- its own statistics, so the planner knows how rare it is.
ALTER TABLE "Course" ADD COLUMN "titleVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('catalogue_search'::regconfig, "title")
) STORED;
ALTER TABLE "Course" ADD COLUMN "skillsVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('catalogue_search'::regconfig, jsonb_path_query_array("courseraSkills", '$[*].name'))
) STORED;
ALTER TABLE "Course" ADD COLUMN "partnersVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('catalogue_search'::regconfig, jsonb_path_query_array("partners", '$[*].name'))
) STORED;
CREATE INDEX "Course_titleVector_idx" ON "Course" USING GIN ("titleVector");
CREATE INDEX "Course_skillsVector_idx" ON "Course" USING GIN ("skillsVector");
CREATE INDEX "Course_partnersVector_idx" ON "Course" USING GIN ("partnersVector");

DROP INDEX IF EXISTS "Skill_name_search_idx";
CREATE INDEX "Skill_name_search_idx" ON "Skill" USING GIN (to_tsvector('catalogue_search'::regconfig, "name"));

-- The vocabulary: every word of a platform's courses and skills, with its
-- deletion variants (the word with one letter removed; two for words of eight
-- letters or more). A misspelt word's own variants meet those of the words it
-- may have meant: one, or two for long words, wrong, missing, extra or swapped
-- letters (lib/learning/search/typos.ts keeps the candidates truly within
-- reach). Exact lookups on b-trees, so it behaves the same on every PostgreSQL,
-- PGlite too. Per platform: a correction or a completion never comes from
-- another customer's catalogue, and a deleted platform takes its words along.
-- Words are only added: a word no course holds any more finds nothing. Kept by
-- statement-level triggers, so no writer has to know about it; rows are written
-- in order so that two concurrent writers cannot deadlock.
CREATE TABLE "SearchWord" (
  "platformId" TEXT NOT NULL,
  "word" TEXT NOT NULL,
  CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("platformId", "word"),
  CONSTRAINT "SearchWord_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- The word being typed is completed from the vocabulary ("negot" → negotiate,
-- negotiation): a query of whole words, which the planner can estimate from each
-- column's statistics, unlike a prefix.
CREATE INDEX "SearchWord_prefix_idx" ON "SearchWord" ("platformId", "word" text_pattern_ops);
CREATE TABLE "SearchWordVariant" (
  "platformId" TEXT NOT NULL,
  "variant" TEXT NOT NULL,
  "word" TEXT NOT NULL,
  CONSTRAINT "SearchWordVariant_pkey" PRIMARY KEY ("platformId", "variant", "word"),
  CONSTRAINT "SearchWordVariant_word_fkey" FOREIGN KEY ("platformId", "word") REFERENCES "SearchWord"("platformId", "word") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE FUNCTION search_word_variants(w text, depth int) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w
  UNION
  SELECT overlay(w placing '' from i for 1) FROM generate_series(1, char_length(w)) i WHERE depth >= 1
  UNION
  SELECT overlay(overlay(w placing '' from i for 1) placing '' from j for 1)
    FROM generate_series(1, char_length(w)) i, generate_series(i, char_length(w) - 1) j WHERE depth >= 2
$$;

-- Words kept: 2 to 40 characters, not a number; those of 4 or more get their
-- variants (shorter words are never corrected, only completed). Arguments: the
-- platforms and words of (platform, word) pairs.
CREATE FUNCTION search_words_add(platform_ids text[], words text[]) RETURNS void LANGUAGE sql AS $$
  WITH added AS (
    INSERT INTO "SearchWord" ("platformId", "word")
    SELECT DISTINCT p, w FROM unnest(platform_ids, words) AS t(p, w)
     WHERE char_length(w) BETWEEN 2 AND 40 AND w !~ '^[0-9[:punct:]]+$'
     ORDER BY p, w
    ON CONFLICT DO NOTHING
    RETURNING "platformId", "word")
  INSERT INTO "SearchWordVariant" ("platformId", "variant", "word")
  SELECT DISTINCT a."platformId", v, a."word"
    FROM added a, search_word_variants(a."word", CASE WHEN char_length(a."word") >= 8 THEN 2 ELSE 1 END) AS v
   WHERE char_length(a."word") >= 4
   ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION search_words_from_courses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_words_add(array_agg(p), array_agg(w)) FROM (
    SELECT DISTINCT n."platformId" AS p, w FROM changed_courses n, unnest(tsvector_to_array(n."searchVector")) AS w) AS pairs;
  RETURN NULL;
END $$;

-- Updates: only rows whose text changed (a retirement or a sync's bookkeeping adds no word).
CREATE FUNCTION search_words_from_updated_courses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_words_add(array_agg(p), array_agg(w)) FROM (
    SELECT DISTINCT n."platformId" AS p, w FROM changed_courses n JOIN previous_courses o ON o."id" = n."id",
           unnest(tsvector_to_array(n."searchVector")) AS w
     WHERE n."searchVector" IS DISTINCT FROM o."searchVector") AS pairs;
  RETURN NULL;
END $$;

CREATE FUNCTION search_words_from_skills() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_words_add(array_agg(p), array_agg(w)) FROM (
    SELECT DISTINCT n."platformId" AS p, w
      FROM changed_skills n, unnest(tsvector_to_array(to_tsvector('catalogue_search'::regconfig, n."name"))) AS w) AS pairs;
  RETURN NULL;
END $$;

CREATE FUNCTION search_words_from_updated_skills() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_words_add(array_agg(p), array_agg(w)) FROM (
    SELECT DISTINCT n."platformId" AS p, w FROM changed_skills n JOIN previous_skills o ON o."id" = n."id",
           unnest(tsvector_to_array(to_tsvector('catalogue_search'::regconfig, n."name"))) AS w
     WHERE n."name" IS DISTINCT FROM o."name") AS pairs;
  RETURN NULL;
END $$;

CREATE TRIGGER "Course_search_words_insert" AFTER INSERT ON "Course"
  REFERENCING NEW TABLE AS changed_courses FOR EACH STATEMENT EXECUTE FUNCTION search_words_from_courses();
CREATE TRIGGER "Course_search_words_update" AFTER UPDATE ON "Course"
  REFERENCING NEW TABLE AS changed_courses OLD TABLE AS previous_courses
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_from_updated_courses();
CREATE TRIGGER "Skill_search_words_insert" AFTER INSERT ON "Skill"
  REFERENCING NEW TABLE AS changed_skills FOR EACH STATEMENT EXECUTE FUNCTION search_words_from_skills();
CREATE TRIGGER "Skill_search_words_update" AFTER UPDATE ON "Skill"
  REFERENCING NEW TABLE AS changed_skills OLD TABLE AS previous_skills
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_from_updated_skills();

SELECT search_words_add(array_agg(p), array_agg(w)) FROM (
  SELECT "platformId" AS p, w FROM "Course", unnest(tsvector_to_array("searchVector")) AS w
  UNION
  SELECT "platformId", w FROM "Skill", unnest(tsvector_to_array(to_tsvector('catalogue_search'::regconfig, "name"))) AS w) AS pairs;

-- Facets and "newest first" among equals.
CREATE INDEX "Course_platformId_createdAt_idx" ON "Course"("platformId", "createdAt" DESC);
