DROP INDEX "companies_name_trgm_idx";--> statement-breakpoint
DROP INDEX "companies_search_vector_idx";--> statement-breakpoint
CREATE INDEX "companies_name_trgm_idx" ON "companies" USING gin ("name" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "companies_search_vector_idx" ON "companies" USING gin ("search_vector") WITH (fastupdate=false);