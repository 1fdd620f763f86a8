-- Extensions used by search (French full-text, accent- and typo-tolerant). Both PGlite and
-- Debian's PostgreSQL (contrib) ship them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
INSERT INTO content_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;
