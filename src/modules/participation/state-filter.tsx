/** The « Filtrer » form of a list by state (proposals, questions): a GET form that works without JavaScript. */
export function StateFilter<S extends string>(p: { action: string; id: string; states: readonly S[]; labels: Record<S, string>; current?: S }) {
  return (
    <form method="get" action={p.action} class="filters" aria-labelledby={p.id}>
      <h2 id={p.id} class="h4">
        Filtrer
      </h2>
      <div class="filters-fields">
        <div class="field">
          <label for="filtre-etat">État</label>
          <select id="filtre-etat" name="etat">
            <option value="">Tous les états</option>
            {p.states.map((s) => (
              <option value={s} selected={p.current === s}>
                {p.labels[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="filters-actions">
        <button type="submit" class="button button-secondary">
          Filtrer
        </button>
      </div>
    </form>
  );
}
