-- AlterTable
ALTER TABLE "Course" DROP COLUMN "lastSeenRunId";

-- CreateTable
CREATE TABLE "CatalogueSeenItem" (
    "runId" TEXT NOT NULL,
    "contentId" TEXT NOT NULL,

    CONSTRAINT "CatalogueSeenItem_pkey" PRIMARY KEY ("runId","contentId")
);

-- AddForeignKey
ALTER TABLE "CatalogueSeenItem" ADD CONSTRAINT "CatalogueSeenItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The title and description of a Coursera course are Coursera's. The product
-- refuses edits in lib/catalogue/mutations.ts; this trigger makes the database
-- refuse them too, whatever the writer (a future action, a script, raw SQL).
-- Only the catalogue sync may write them: it marks its own transactions with
-- set_config('app.catalogue_sync', 'on', true), which lasts for that
-- transaction only. The same applies to the columns that make a course a
-- Coursera one, so the lock cannot be side-stepped by turning it native first.
CREATE FUNCTION "course_lock_coursera_fields"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('app.catalogue_sync', true), '') = 'on' THEN
    RETURN NEW;
  END IF;
  IF NEW."title" IS DISTINCT FROM OLD."title"
     OR NEW."description" IS DISTINCT FROM OLD."description"
     OR NEW."source" IS DISTINCT FROM OLD."source"
     OR NEW."courseraContentId" IS DISTINCT FROM OLD."courseraContentId" THEN
    RAISE EXCEPTION 'The title and description of a Coursera course are managed by Coursera and cannot be changed.'
      USING ERRCODE = 'P0001', HINT = 'LOCKED_BY_COURSERA';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Course_lock_coursera_fields"
  BEFORE UPDATE OF "title", "description", "source", "courseraContentId" ON "Course"
  FOR EACH ROW WHEN (OLD."source" = 'COURSERA')
  EXECUTE FUNCTION "course_lock_coursera_fields"();
