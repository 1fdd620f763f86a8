CREATE TABLE "companies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "companies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"siren" text NOT NULL,
	"name" text NOT NULL,
	"legal_form" text,
	"legal_form_label" text,
	"naf_code" text,
	"diffusion" text DEFAULT 'O' NOT NULL,
	"natural_person" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"co_builder" boolean DEFAULT false NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_contacts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"user_id" integer,
	"name" text NOT NULL,
	"role" text,
	"email" text,
	"phone" text,
	"consent_at" timestamp with time zone,
	"consent_source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"via" text NOT NULL,
	"confirmed_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "establishments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "establishments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"siret" text NOT NULL,
	"name" text,
	"naf_code" text,
	"naf_section" text,
	"workforce_band" text,
	"head_office" boolean DEFAULT false NOT NULL,
	"address" text,
	"postcode" text,
	"commune_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"diffusion" text DEFAULT 'O' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_agenda_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_agenda_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"meeting_id" integer NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"title" text NOT NULL,
	"action_id" integer,
	"proposal_id" integer,
	"notes" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_amendment_changes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_amendment_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"amendment_id" integer NOT NULL,
	"kind" text NOT NULL,
	"action_id" integer,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"proposal_id" integer,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_amendments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_amendments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"decision_id" integer,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"applied_at" timestamp with time zone,
	"applied_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_decision_actions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_decision_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"decision_id" integer NOT NULL,
	"action_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_decisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"meeting_id" integer,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"decided_on" date NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_meeting_invitees" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_meeting_invitees_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"meeting_id" integer NOT NULL,
	"member_id" integer,
	"user_id" integer,
	"name" text NOT NULL,
	"email" text,
	"invited_at" timestamp with time zone,
	"attendance" text
);
--> statement-breakpoint
CREATE TABLE "gov_meetings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_meetings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"body_id" integer NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text,
	"video_url" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"minutes" text,
	"ics_uid" text NOT NULL,
	"ics_sequence" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"held_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gov_plan_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gov_plan_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"effective_on" date NOT NULL,
	"amendment_id" integer,
	"decision_id" integer,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer,
	"kind" text NOT NULL,
	"file_name" text,
	"status" text DEFAULT 'running' NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_kept" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"rejections" text[] DEFAULT '{}' NOT NULL,
	"message" text,
	"started_by" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "indicators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"definition" text,
	"unit" text NOT NULL,
	"source" text,
	"producer" text,
	"licence" text,
	"levels" text[] DEFAULT '{}' NOT NULL,
	"periodicity" text DEFAULT 'annual' NOT NULL,
	"aggregation" text DEFAULT 'sum' NOT NULL,
	"numerator_id" integer,
	"denominator_id" integer,
	"scale" double precision DEFAULT 1 NOT NULL,
	"decimals" integer DEFAULT 0 NOT NULL,
	"direction" text DEFAULT 'neutral' NOT NULL,
	"theme" text,
	"last_update" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"indicator_id" integer NOT NULL,
	"geo_level" text NOT NULL,
	"geo_code" text NOT NULL,
	"period" date NOT NULL,
	"value" double precision,
	"status" text DEFAULT 'final' NOT NULL,
	"source" text,
	"comment" text,
	"entered_by" integer,
	CONSTRAINT "observations_indicator_id_geo_level_geo_code_period_pk" PRIMARY KEY("indicator_id","geo_level","geo_code","period")
);
--> statement-breakpoint
CREATE TABLE "part_interests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_interests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"theme_id" integer NOT NULL,
	"days" integer[] DEFAULT '{}' NOT NULL,
	"frequency" text,
	"format" text,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_notification_preferences" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_notification_preferences_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"workshop_emails" boolean DEFAULT true NOT NULL,
	"proposal_emails" boolean DEFAULT true NOT NULL,
	"monthly_digest" boolean DEFAULT false NOT NULL,
	"unsubscribe_token" text NOT NULL,
	"last_digest_on" date
);
--> statement-breakpoint
CREATE TABLE "part_proposal_comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_proposal_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"proposal_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"hidden_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "part_proposal_supports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_proposal_supports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"proposal_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_proposals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_proposals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"company_id" integer,
	"theme_id" integer,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"proposed_action" text NOT NULL,
	"expected_partners" text,
	"rough_budget_euros" integer,
	"status" text DEFAULT 'submitted' NOT NULL,
	"score" integer,
	"criteria" text[] DEFAULT '{}' NOT NULL,
	"answer" text,
	"evaluated_by" integer,
	"evaluated_at" timestamp with time zone,
	"merged_into_id" integer,
	"action_id" integer,
	"decision_id" integer,
	"visibility" text DEFAULT 'published' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_questions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_questions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"user_id" integer,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"company_name" text,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"theme_id" integer,
	"status" text DEFAULT 'new' NOT NULL,
	"assignee_id" integer,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone,
	"faq_published_at" timestamp with time zone,
	"faq_question" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_registrations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"workshop_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"company_id" integer,
	"status" text NOT NULL,
	"waitlisted_at" timestamp with time zone,
	"attended" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_workshop_actions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_workshop_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"workshop_id" integer NOT NULL,
	"action_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_workshop_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_workshop_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"workshop_id" integer NOT NULL,
	"file_id" integer NOT NULL,
	"title" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "part_workshops" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "part_workshops_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"theme_id" integer,
	"title" text NOT NULL,
	"description" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text,
	"video_url" text,
	"capacity" integer NOT NULL,
	"registration_opens_at" timestamp with time zone,
	"registration_closes_at" timestamp with time zone,
	"status" text DEFAULT 'published' NOT NULL,
	"minutes" text,
	"ics_uid" text NOT NULL,
	"ics_sequence" integer DEFAULT 0 NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_action_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_action_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"file_id" integer NOT NULL,
	"title" text NOT NULL,
	"visibility" text DEFAULT 'confidential' NOT NULL,
	"uploaded_by" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_action_indicators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_action_indicators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"indicator_id" integer NOT NULL,
	"geo_level" text NOT NULL,
	"geo_code" text NOT NULL,
	"baseline_value" double precision,
	"baseline_date" date,
	"visibility" text DEFAULT 'published' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_action_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_action_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"from_action_id" integer NOT NULL,
	"to_action_id" integer NOT NULL,
	"kind" text DEFAULT 'related' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_action_notes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_action_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"body" text NOT NULL,
	"visibility" text DEFAULT 'confidential' NOT NULL,
	"author_id" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_action_pilots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_action_pilots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"user_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_budget_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_budget_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"year" integer NOT NULL,
	"nature" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"label" text
);
--> statement-breakpoint
CREATE TABLE "plan_digest_preferences" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"weekly_digest" boolean DEFAULT true NOT NULL,
	"last_sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_financing_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_financing_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"funder_kind" text NOT NULL,
	"funder_name" text NOT NULL,
	"requested_cents" bigint DEFAULT 0 NOT NULL,
	"granted_cents" bigint DEFAULT 0 NOT NULL,
	"paid_cents" bigint DEFAULT 0 NOT NULL,
	"comment" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_indicator_targets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_indicator_targets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_indicator_id" integer NOT NULL,
	"target_date" date NOT NULL,
	"value" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_milestones" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_milestones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"name" text NOT NULL,
	"due_date" date,
	"done_date" date,
	"position" integer DEFAULT 0 NOT NULL,
	"visibility" text DEFAULT 'published' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_status_changes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plan_status_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"action_id" integer NOT NULL,
	"from_status" text,
	"to_status" text,
	"comment" text,
	"author_id" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "referent_elu" text;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "start_date" date;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "planned_end_date" date;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "progress_mode" text DEFAULT 'milestones' NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "progress_manual" integer;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "priority" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "governance_members" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "governance_members" ADD COLUMN "user_id" integer;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_contacts" ADD CONSTRAINT "company_contacts_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_contacts" ADD CONSTRAINT "company_contacts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_contacts" ADD CONSTRAINT "company_contacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_users" ADD CONSTRAINT "company_users_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_users" ADD CONSTRAINT "company_users_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_users" ADD CONSTRAINT "company_users_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_users" ADD CONSTRAINT "company_users_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "establishments" ADD CONSTRAINT "establishments_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "establishments" ADD CONSTRAINT "establishments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_agenda_items" ADD CONSTRAINT "gov_agenda_items_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_agenda_items" ADD CONSTRAINT "gov_agenda_items_meeting_id_gov_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."gov_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_agenda_items" ADD CONSTRAINT "gov_agenda_items_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendment_changes" ADD CONSTRAINT "gov_amendment_changes_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendment_changes" ADD CONSTRAINT "gov_amendment_changes_amendment_id_gov_amendments_id_fk" FOREIGN KEY ("amendment_id") REFERENCES "public"."gov_amendments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendment_changes" ADD CONSTRAINT "gov_amendment_changes_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendments" ADD CONSTRAINT "gov_amendments_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendments" ADD CONSTRAINT "gov_amendments_decision_id_gov_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."gov_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_amendments" ADD CONSTRAINT "gov_amendments_applied_by_users_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decision_actions" ADD CONSTRAINT "gov_decision_actions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decision_actions" ADD CONSTRAINT "gov_decision_actions_decision_id_gov_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."gov_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decision_actions" ADD CONSTRAINT "gov_decision_actions_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_meeting_id_gov_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."gov_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meeting_invitees" ADD CONSTRAINT "gov_meeting_invitees_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meeting_invitees" ADD CONSTRAINT "gov_meeting_invitees_meeting_id_gov_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."gov_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meeting_invitees" ADD CONSTRAINT "gov_meeting_invitees_member_id_governance_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."governance_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meeting_invitees" ADD CONSTRAINT "gov_meeting_invitees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_body_id_governance_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."governance_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_plan_versions" ADD CONSTRAINT "gov_plan_versions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_plan_versions" ADD CONSTRAINT "gov_plan_versions_amendment_id_gov_amendments_id_fk" FOREIGN KEY ("amendment_id") REFERENCES "public"."gov_amendments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_plan_versions" ADD CONSTRAINT "gov_plan_versions_decision_id_gov_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."gov_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_interests" ADD CONSTRAINT "part_interests_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_interests" ADD CONSTRAINT "part_interests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_interests" ADD CONSTRAINT "part_interests_theme_id_plan_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."plan_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_notification_preferences" ADD CONSTRAINT "part_notification_preferences_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_notification_preferences" ADD CONSTRAINT "part_notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_comments" ADD CONSTRAINT "part_proposal_comments_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_comments" ADD CONSTRAINT "part_proposal_comments_proposal_id_part_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."part_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_comments" ADD CONSTRAINT "part_proposal_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_supports" ADD CONSTRAINT "part_proposal_supports_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_supports" ADD CONSTRAINT "part_proposal_supports_proposal_id_part_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."part_proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposal_supports" ADD CONSTRAINT "part_proposal_supports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_theme_id_plan_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."plan_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_evaluated_by_users_id_fk" FOREIGN KEY ("evaluated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_proposals" ADD CONSTRAINT "part_proposals_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_questions" ADD CONSTRAINT "part_questions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_questions" ADD CONSTRAINT "part_questions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_questions" ADD CONSTRAINT "part_questions_theme_id_plan_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."plan_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_questions" ADD CONSTRAINT "part_questions_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_questions" ADD CONSTRAINT "part_questions_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_registrations" ADD CONSTRAINT "part_registrations_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_registrations" ADD CONSTRAINT "part_registrations_workshop_id_part_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."part_workshops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_registrations" ADD CONSTRAINT "part_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_registrations" ADD CONSTRAINT "part_registrations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_actions" ADD CONSTRAINT "part_workshop_actions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_actions" ADD CONSTRAINT "part_workshop_actions_workshop_id_part_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."part_workshops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_actions" ADD CONSTRAINT "part_workshop_actions_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_documents" ADD CONSTRAINT "part_workshop_documents_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_documents" ADD CONSTRAINT "part_workshop_documents_workshop_id_part_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."part_workshops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshop_documents" ADD CONSTRAINT "part_workshop_documents_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshops" ADD CONSTRAINT "part_workshops_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_workshops" ADD CONSTRAINT "part_workshops_theme_id_plan_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."plan_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_documents" ADD CONSTRAINT "plan_action_documents_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_documents" ADD CONSTRAINT "plan_action_documents_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_documents" ADD CONSTRAINT "plan_action_documents_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_documents" ADD CONSTRAINT "plan_action_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_indicators" ADD CONSTRAINT "plan_action_indicators_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_indicators" ADD CONSTRAINT "plan_action_indicators_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_indicators" ADD CONSTRAINT "plan_action_indicators_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_links" ADD CONSTRAINT "plan_action_links_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_links" ADD CONSTRAINT "plan_action_links_from_action_id_plan_actions_id_fk" FOREIGN KEY ("from_action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_links" ADD CONSTRAINT "plan_action_links_to_action_id_plan_actions_id_fk" FOREIGN KEY ("to_action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_notes" ADD CONSTRAINT "plan_action_notes_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_notes" ADD CONSTRAINT "plan_action_notes_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_notes" ADD CONSTRAINT "plan_action_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_pilots" ADD CONSTRAINT "plan_action_pilots_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_pilots" ADD CONSTRAINT "plan_action_pilots_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_pilots" ADD CONSTRAINT "plan_action_pilots_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_budget_lines" ADD CONSTRAINT "plan_budget_lines_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_budget_lines" ADD CONSTRAINT "plan_budget_lines_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_digest_preferences" ADD CONSTRAINT "plan_digest_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_financing_lines" ADD CONSTRAINT "plan_financing_lines_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_financing_lines" ADD CONSTRAINT "plan_financing_lines_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_indicator_targets" ADD CONSTRAINT "plan_indicator_targets_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_indicator_targets" ADD CONSTRAINT "plan_indicator_targets_action_indicator_id_plan_action_indicators_id_fk" FOREIGN KEY ("action_indicator_id") REFERENCES "public"."plan_action_indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_milestones" ADD CONSTRAINT "plan_milestones_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_milestones" ADD CONSTRAINT "plan_milestones_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_status_changes" ADD CONSTRAINT "plan_status_changes_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_status_changes" ADD CONSTRAINT "plan_status_changes_action_id_plan_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."plan_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_status_changes" ADD CONSTRAINT "plan_status_changes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_siren_uq" ON "companies" USING btree ("territory_id","siren");--> statement-breakpoint
CREATE INDEX "companies_name_trgm_idx" ON "companies" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "company_contacts_company_idx" ON "company_contacts" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "company_users_uq" ON "company_users" USING btree ("territory_id","user_id","company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "establishments_siret_uq" ON "establishments" USING btree ("territory_id","siret");--> statement-breakpoint
CREATE INDEX "establishments_company_idx" ON "establishments" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "establishments_commune_idx" ON "establishments" USING btree ("territory_id","commune_code");--> statement-breakpoint
CREATE INDEX "gov_agenda_items_meeting_idx" ON "gov_agenda_items" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "gov_amendment_changes_amendment_idx" ON "gov_amendment_changes" USING btree ("amendment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_amendments_number_uq" ON "gov_amendments" USING btree ("territory_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_decision_actions_uq" ON "gov_decision_actions" USING btree ("decision_id","action_id");--> statement-breakpoint
CREATE INDEX "gov_decision_actions_action_idx" ON "gov_decision_actions" USING btree ("action_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_decisions_number_uq" ON "gov_decisions" USING btree ("territory_id","number");--> statement-breakpoint
CREATE INDEX "gov_meeting_invitees_meeting_idx" ON "gov_meeting_invitees" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "gov_meetings_territory_idx" ON "gov_meetings" USING btree ("territory_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_plan_versions_number_uq" ON "gov_plan_versions" USING btree ("territory_id","number");--> statement-breakpoint
CREATE INDEX "import_runs_kind_idx" ON "import_runs" USING btree ("kind","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_code_uq" ON "indicators" USING btree (coalesce("territory_id", 0),"code");--> statement-breakpoint
CREATE INDEX "observations_geo_idx" ON "observations" USING btree ("geo_level","geo_code","indicator_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "part_interests_uq" ON "part_interests" USING btree ("territory_id","user_id","theme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "part_notification_preferences_uq" ON "part_notification_preferences" USING btree ("territory_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "part_notification_preferences_token_uq" ON "part_notification_preferences" USING btree ("unsubscribe_token");--> statement-breakpoint
CREATE INDEX "part_proposal_comments_proposal_idx" ON "part_proposal_comments" USING btree ("proposal_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "part_proposal_supports_uq" ON "part_proposal_supports" USING btree ("proposal_id","user_id");--> statement-breakpoint
CREATE INDEX "part_proposals_territory_idx" ON "part_proposals" USING btree ("territory_id","status","created_at");--> statement-breakpoint
CREATE INDEX "part_proposals_author_idx" ON "part_proposals" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "part_questions_territory_idx" ON "part_questions" USING btree ("territory_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "part_registrations_uq" ON "part_registrations" USING btree ("workshop_id","user_id");--> statement-breakpoint
CREATE INDEX "part_registrations_user_idx" ON "part_registrations" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "part_workshop_actions_uq" ON "part_workshop_actions" USING btree ("workshop_id","action_id");--> statement-breakpoint
CREATE INDEX "part_workshops_territory_idx" ON "part_workshops" USING btree ("territory_id","starts_at");--> statement-breakpoint
CREATE INDEX "plan_action_documents_action_idx" ON "plan_action_documents" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "plan_action_indicators_action_idx" ON "plan_action_indicators" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "plan_action_indicators_indicator_idx" ON "plan_action_indicators" USING btree ("indicator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_action_links_uq" ON "plan_action_links" USING btree ("from_action_id","to_action_id");--> statement-breakpoint
CREATE INDEX "plan_action_notes_action_idx" ON "plan_action_notes" USING btree ("action_id","at");--> statement-breakpoint
CREATE INDEX "plan_action_notes_fts_idx" ON "plan_action_notes" USING gin (to_tsvector('french', "body"));--> statement-breakpoint
CREATE UNIQUE INDEX "plan_action_pilots_uq" ON "plan_action_pilots" USING btree ("action_id","user_id");--> statement-breakpoint
CREATE INDEX "plan_action_pilots_user_idx" ON "plan_action_pilots" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_budget_lines_uq" ON "plan_budget_lines" USING btree ("action_id","year","nature");--> statement-breakpoint
CREATE INDEX "plan_financing_lines_action_idx" ON "plan_financing_lines" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "plan_financing_lines_territory_idx" ON "plan_financing_lines" USING btree ("territory_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_indicator_targets_uq" ON "plan_indicator_targets" USING btree ("action_indicator_id","target_date");--> statement-breakpoint
CREATE INDEX "plan_milestones_action_idx" ON "plan_milestones" USING btree ("action_id","position");--> statement-breakpoint
CREATE INDEX "plan_milestones_due_idx" ON "plan_milestones" USING btree ("territory_id","due_date");--> statement-breakpoint
CREATE INDEX "plan_status_changes_action_idx" ON "plan_status_changes" USING btree ("action_id","at");--> statement-breakpoint
CREATE INDEX "plan_status_changes_territory_idx" ON "plan_status_changes" USING btree ("territory_id","at");--> statement-breakpoint
CREATE INDEX "plan_actions_fts_idx" ON "plan_actions" USING gin (to_tsvector('french', "title" || ' ' || coalesce("description", '')));