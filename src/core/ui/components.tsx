import type { ComponentChildren } from "preact";
import type { FieldErrors, FormValues } from "../forms/index.ts";

/** The error summary at the top of a form in its error state, linking to each field. */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <h2 id="error-summary-title">Le formulaire contient {entries.length === 1 ? "une erreur" : `${entries.length} erreurs`}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${fieldId(field)}`}>{labels?.[field] ? `${labels[field]} : ${message}` : message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const fieldId = (name: string) => `champ-${name}`;

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  errors?: FieldErrors;
  values?: FormValues;
  required?: boolean;
}

function valueOf(values: FormValues | undefined, name: string): string {
  const v = values?.[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

function FieldFrame(props: FieldProps & { children: ComponentChildren }) {
  const error = props.errors?.[props.name];
  return (
    <div class={`field${error ? " field-error" : ""}`}>
      <label for={fieldId(props.name)}>
        {props.label}
        {props.required ? null : <span class="optional"> (facultatif)</span>}
      </label>
      {props.hint ? (
        <p class="hint" id={`${fieldId(props.name)}-aide`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${fieldId(props.name)}-erreur`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [props.hint ? `${fieldId(props.name)}-aide` : "", props.errors?.[props.name] ? `${fieldId(props.name)}-erreur` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField(props: FieldProps & { type?: string; autocomplete?: string; inputmode?: string; maxLength?: number }) {
  return (
    <FieldFrame {...props}>
      <input
        id={fieldId(props.name)}
        name={props.name}
        type={(props.type ?? "text") as "text"}
        value={valueOf(props.values, props.name)}
        required={props.required}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode as never}
        maxLength={props.maxLength}
        aria-invalid={props.errors?.[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  return (
    <FieldFrame {...props}>
      <textarea
        id={fieldId(props.name)}
        name={props.name}
        rows={props.rows ?? 5}
        required={props.required}
        aria-invalid={props.errors?.[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      >
        {valueOf(props.values, props.name)}
      </textarea>
    </FieldFrame>
  );
}

export function SelectField(props: FieldProps & { options: { value: string; label: string }[]; placeholder?: string }) {
  const current = valueOf(props.values, props.name);
  return (
    <FieldFrame {...props}>
      <select
        id={fieldId(props.name)}
        name={props.name}
        required={props.required}
        aria-invalid={props.errors?.[props.name] ? "true" : undefined}
        aria-describedby={describedBy(props)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField(props: FieldProps) {
  const checked = ["on", "true", "1"].includes(valueOf(props.values, props.name));
  const error = props.errors?.[props.name];
  return (
    <div class={`field field-checkbox${error ? " field-error" : ""}`}>
      {error ? (
        <p class="error-message" id={`${fieldId(props.name)}-erreur`}>
          {error}
        </p>
      ) : null}
      <input id={fieldId(props.name)} name={props.name} type="checkbox" checked={checked} aria-describedby={describedBy(props)} />
      <label for={fieldId(props.name)}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${fieldId(props.name)}-aide`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A POST form with its CSRF token. */
export function Form(props: { action: string; csrfToken: string; children: ComponentChildren; class?: string; novalidate?: boolean }) {
  return (
    <form method="post" action={props.action} class={props.class} noValidate={props.novalidate ?? true}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children}
    </form>
  );
}

/** A one-button POST form (archive, move up…). */
export function ActionButton(props: { action: string; csrfToken: string; label: string; accessibleLabel?: string; variant?: string }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <button type="submit" class={`button button-${props.variant ?? "secondary"} button-small`} aria-label={props.accessibleLabel}>
        {props.label}
      </button>
    </form>
  );
}

/** A designed empty state: says what is missing and, when known, why. */
export function EmptyState({ children }: { children: ComponentChildren }) {
  return <p class="empty-state">{children}</p>;
}
