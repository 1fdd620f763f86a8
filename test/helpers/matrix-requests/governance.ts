// The concrete request of every row of the governance module's matrix (see test/helpers/matrix.ts).
import { randomUUID } from "node:crypto";
import { governanceBodies, governanceMembers } from "../../../src/modules/territories/schema.ts";
import { agendaItems, amendmentChanges, amendments, decisions, meetingInvitees, meetings } from "../../../src/modules/governance/schema.ts";
import type { BuildContext, RequestSpec } from "../matrix.ts";

const g = (c: BuildContext, path: string) => `/t/${c.slug}/gestion/gouvernance${path}`;

async function freshBody(c: BuildContext): Promise<number> {
  const n = c.world.next();
  const [b] = await c.world.db.insert(governanceBodies).values({ territoryId: c.t.id, kind: "working_group", name: `Instance matrice ${n}`, position: 100 + n }).returning({ id: governanceBodies.id });
  return b!.id;
}

async function freshMember(c: BuildContext): Promise<number> {
  const bodyId = await freshBody(c);
  const [m] = await c.world.db.insert(governanceMembers).values({ territoryId: c.t.id, bodyId, name: `Membre matrice ${c.n}`, side: "élu", email: `membre-${c.n}@exemple.fr` }).returning({ id: governanceMembers.id });
  return m!.id;
}

/** A planned meeting (in the past by default, so minutes may be recorded), with two agenda items. */
async function freshMeeting(c: BuildContext): Promise<{ id: number; items: number[] }> {
  const bodyId = await freshBody(c);
  const startsAt = new Date(Date.now() - 3 * 86400_000);
  const [m] = await c.world.db
    .insert(meetings)
    .values({ territoryId: c.t.id, bodyId, title: `Réunion matrice ${c.n}`, startsAt, endsAt: new Date(startsAt.getTime() + 7200_000), place: "Salle du conseil", icsUid: `${randomUUID()}@collines` })
    .returning({ id: meetings.id });
  const items = await c.world.db
    .insert(agendaItems)
    .values([0, 1].map((i) => ({ territoryId: c.t.id, meetingId: m!.id, title: `Point ${i + 1} de la matrice ${c.n}`, position: i })))
    .returning({ id: agendaItems.id });
  return { id: m!.id, items: items.map((i) => i.id) };
}

async function freshDecision(c: BuildContext): Promise<number> {
  const n = 10000 + c.world.next();
  const [d] = await c.world.db.insert(decisions).values({ territoryId: c.t.id, number: n, title: `Décision matrice ${n}`, decidedOn: "2026-01-15" }).returning({ id: decisions.id });
  return d!.id;
}

async function freshAmendment(c: BuildContext, withChange = false): Promise<{ id: number; changeId?: number }> {
  const decisionId = await freshDecision(c);
  const n = 10000 + c.world.next();
  const [a] = await c.world.db.insert(amendments).values({ territoryId: c.t.id, decisionId, number: n, title: `Avenant matrice ${n}` }).returning({ id: amendments.id });
  if (!withChange) return { id: a!.id };
  const [ch] = await c.world.db
    .insert(amendmentChanges)
    .values({ territoryId: c.t.id, amendmentId: a!.id, kind: "change", actionId: c.t.publishedActionId, payload: { description: `Description changée par la matrice ${n}` } })
    .returning({ id: amendmentChanges.id });
  return { id: a!.id, changeId: ch!.id };
}

const meetingForm = (c: BuildContext) => ({ title: `Comité matrice ${c.n}`, date: "2026-03-30", start: "14:00", end: "16:00", place: "Mairie", videoUrl: "" });

export const governanceRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/gestion/gouvernance": { build: (c) => ({ url: g(c, "") }) },
  "GET /t/:slug/gestion/gouvernance/instances/nouvelle": { build: (c) => ({ url: g(c, "/instances/nouvelle") }) },
  "POST /t/:slug/gestion/gouvernance/instances/nouvelle": { build: (c) => ({ url: g(c, "/instances/nouvelle"), form: { kind: "working_group", name: `Groupe matrice ${c.n}` } }) },
  "GET /t/:slug/gestion/gouvernance/instances/:id": { build: async (c) => ({ url: g(c, `/instances/${await freshBody(c)}`) }) },
  "POST /t/:slug/gestion/gouvernance/instances/:id": { build: async (c) => ({ url: g(c, `/instances/${await freshBody(c)}`), form: { kind: "working_group", name: `Groupe renommé ${c.n}` } }) },
  "POST /t/:slug/gestion/gouvernance/instances/:id/supprimer": { build: async (c) => ({ url: g(c, `/instances/${await freshBody(c)}/supprimer`) }) },
  "POST /t/:slug/gestion/gouvernance/instances/:id/membres": {
    build: async (c) => ({ url: g(c, `/instances/${await freshBody(c)}/membres`), form: { memberName: `Élu matrice ${c.n}`, side: "élu", email: `elu-${c.n}@exemple.fr` } }),
  },
  "GET /t/:slug/gestion/gouvernance/membres/:id": { build: async (c) => ({ url: g(c, `/membres/${await freshMember(c)}`) }) },
  "POST /t/:slug/gestion/gouvernance/membres/:id": { build: async (c) => ({ url: g(c, `/membres/${await freshMember(c)}`), form: { memberName: `Élue matrice ${c.n}`, side: "industriel" } }) },
  "POST /t/:slug/gestion/gouvernance/membres/:id/retirer": { build: async (c) => ({ url: g(c, `/membres/${await freshMember(c)}/retirer`) }) },
  "GET /t/:slug/gestion/gouvernance/reunions/nouvelle": { build: (c) => ({ url: g(c, "/reunions/nouvelle") }) },
  "POST /t/:slug/gestion/gouvernance/reunions/nouvelle": { build: async (c) => ({ url: g(c, "/reunions/nouvelle"), form: { bodyId: String(await freshBody(c)), ...meetingForm(c), extraEmails: `invite-${c.n}@exemple.fr` } }) },
  "GET /t/:slug/gestion/gouvernance/reunions/:id": { build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}`) }) },
  "POST /t/:slug/gestion/gouvernance/reunions/:id": { build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}`), form: meetingForm(c) }) },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/ordre-du-jour": { build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}/ordre-du-jour`), form: { freeTitle: `Point libre ${c.n}` } }) },
  "POST /t/:slug/gestion/gouvernance/points/:id/monter": { build: async (c) => ({ url: g(c, `/points/${(await freshMeeting(c)).items[1]}/monter`) }) },
  "POST /t/:slug/gestion/gouvernance/points/:id/descendre": { build: async (c) => ({ url: g(c, `/points/${(await freshMeeting(c)).items[0]}/descendre`) }) },
  "POST /t/:slug/gestion/gouvernance/points/:id/retirer": { build: async (c) => ({ url: g(c, `/points/${(await freshMeeting(c)).items[0]}/retirer`) }) },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/invites": {
    build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}/invites`), form: { inviteeName: `Invité ${c.n}`, inviteeEmail: `invite-${c.n}@exemple.fr` } }),
  },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/invitations": {
    build: async (c) => {
      const m = await freshMeeting(c);
      await c.world.db.insert(meetingInvitees).values({ territoryId: c.t.id, meetingId: m.id, name: `Invité ${c.n}`, email: `invite-${c.n}@exemple.fr` });
      return { url: g(c, `/reunions/${m.id}/invitations`) };
    },
  },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/annuler": { build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}/annuler`) }) },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/compte-rendu": { build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}/compte-rendu`), form: { minutes: `Compte rendu ${c.n}` } }) },
  "POST /t/:slug/gestion/gouvernance/reunions/:id/decisions": {
    build: async (c) => ({ url: g(c, `/reunions/${(await freshMeeting(c)).id}/decisions`), form: { decisionTitle: `Décision ${c.n}`, decidedOn: "2026-03-30", actionIds: [String(c.t.publishedActionId)] } }),
  },
  "GET /t/:slug/gestion/gouvernance/decisions/:id": { build: async (c) => ({ url: g(c, `/decisions/${await freshDecision(c)}`) }) },
  "POST /t/:slug/gestion/gouvernance/decisions/:id/avenant": { build: async (c) => ({ url: g(c, `/decisions/${await freshDecision(c)}/avenant`), form: { amendmentTitle: `Avenant ${c.n}` } }) },
  "POST /t/:slug/gestion/gouvernance/avenants/:id/ajout": {
    build: async (c) => ({
      url: g(c, `/avenants/${(await freshAmendment(c)).id}/ajout`),
      form: { objectiveId: String(c.t.objectiveId), title: `Action ajoutée ${c.n}`, visibility: "draft" },
    }),
  },
  "POST /t/:slug/gestion/gouvernance/avenants/:id/modification": {
    build: async (c) => ({ url: g(c, `/avenants/${(await freshAmendment(c)).id}/modification`), form: { changeActionId: String(c.t.publishedActionId), changeStatus: "in_progress" } }),
  },
  "POST /t/:slug/gestion/gouvernance/avenants/:id/retrait": {
    build: async (c) => ({ url: g(c, `/avenants/${(await freshAmendment(c)).id}/retrait`), form: { withdrawActionId: String(c.t.draftActionId) } }),
  },
  "POST /t/:slug/gestion/gouvernance/changements/:id/retirer": { build: async (c) => ({ url: g(c, `/changements/${(await freshAmendment(c, true)).changeId}/retirer`) }) },
  "POST /t/:slug/gestion/gouvernance/avenants/:id/appliquer": { build: async (c) => ({ url: g(c, `/avenants/${(await freshAmendment(c, true)).id}/appliquer`) }) },
  "GET /t/:slug/gouvernance/reunions/:id": { build: async (c) => ({ url: `/t/${c.slug}/gouvernance/reunions/${(await freshMeeting(c)).id}` }) },
  "GET /t/:slug/gouvernance/reunions/:id/invitation.ics": { build: async (c) => ({ url: `/t/${c.slug}/gouvernance/reunions/${(await freshMeeting(c)).id}/invitation.ics` }) },
  "GET /t/:slug/plan/versions": { build: (c) => ({ url: `/t/${c.slug}/plan/versions` }) },
  "GET /t/:slug/plan/versions/comparer": { build: (c) => ({ url: `/t/${c.slug}/plan/versions/comparer?de=1&a=1` }) },
  "GET /t/:slug/plan/versions/:n": { build: (c) => ({ url: `/t/${c.slug}/plan/versions/1` }) },
};
