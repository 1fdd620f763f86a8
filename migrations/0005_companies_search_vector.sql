DROP INDEX "companies_search_trgm_idx";--> statement-breakpoint
DROP INDEX "companies_search_fts_idx";--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
CREATE INDEX "companies_search_vector_idx" ON "companies" USING gin ("search_vector");--> statement-breakpoint
UPDATE "companies" SET "search_vector" = to_tsvector('french', "search_text");
