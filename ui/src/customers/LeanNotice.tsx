import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type IndexMode } from "../bindings";
import { formatNumber } from "../lib/format";
import { call } from "../lib/result";

/**
 * Says so when the book is too large for the memory Satchel may use: the list and search then
 * read from the disk (the core's lean mode), and a user waiting on a slow page should know why
 * and what gives them speed back.
 */
export function LeanNotice() {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<IndexMode | null>(null);
  useEffect(() => {
    let alive = true;
    void call(commands.customerIndexMode()).then((result) => {
      if (alive && result.status === "ok") setMode(result.data);
    });
    return () => {
      alive = false;
    };
  }, []);
  if (mode?.mode !== "lean") return null;
  return (
    <p className="muted list-note" role="note" data-testid="lean-mode-note">
      {t("list.leanMode", {
        needed: formatNumber(mode.neededMb, i18n.language),
        allowed: formatNumber(mode.allowedMb, i18n.language),
      })}
    </p>
  );
}
