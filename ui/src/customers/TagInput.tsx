import { useId, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

type Props = {
  tags: string[];
  draft: string;
  onDraftChange: (draft: string) => void;
  onChange: (tags: string[]) => void;
  suggestions: string[];
  /** Index of a tag the core refused, from an error like "tags.2". */
  invalidIndex: number | null;
  inputProps: InputHTMLAttributes<HTMLInputElement>;
};

/** Adds a tag unless it is blank or already there. */
export function addTag(tags: string[], draft: string): string[] {
  const tag = draft.trim();
  return tag === "" || tags.includes(tag) ? tags : [...tags, tag];
}

export function TagInput({ tags, draft, onDraftChange, onChange, suggestions, invalidIndex, inputProps }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  return (
    <div className="tag-box">
      {tags.map((tag, index) => (
        <span key={tag} className="chip" data-testid="tag-chip" aria-invalid={index === invalidIndex || undefined}>
          {tag}
          <button type="button" aria-label={t("form.removeTag", { tag })} onClick={() => onChange(tags.filter((x) => x !== tag))}>
            ×
          </button>
        </span>
      ))}
      <input
        {...inputProps}
        data-testid="field-tag-input"
        list={listId}
        value={draft}
        placeholder={tags.length === 0 ? t("form.tagPlaceholder") : ""}
        onChange={(e) => onDraftChange(e.target.value)}
        onKeyDown={(e) => {
          if ((e.key === "Enter" || e.key === ",") && draft.trim() !== "") {
            e.preventDefault();
            onChange(addTag(tags, draft));
            onDraftChange("");
          } else if (e.key === "Enter") {
            e.preventDefault();
          } else if (e.key === "Backspace" && draft === "" && tags.length > 0) {
            onChange(tags.slice(0, -1));
          }
        }}
      />
      <datalist id={listId}>
        {suggestions
          .filter((s) => !tags.includes(s))
          .map((s) => (
            <option key={s} value={s} />
          ))}
      </datalist>
    </div>
  );
}
