import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";

/**
 * Settings → Sync: whether every attachment's file is fetched at each sync (to open them all
 * without a network) or only when one is opened (the default: a teammate's files do not fill
 * this computer's disk unasked).
 */
export function FetchAhead() {
  const { t } = useTranslation();
  const toast = useToast();
  const id = useId();
  const [on, setOn] = useState<boolean | null>(null);

  useEffect(() => {
    let live = true;
    void call(commands.syncFetchAhead()).then((result) => {
      if (live && result.status === "ok") setOn(result.data);
    });
    return () => {
      live = false;
    };
  }, []);

  if (on === null) return null;
  const change = async (next: boolean) => {
    setOn(next);
    const result = await call(commands.setSyncFetchAhead(next));
    if (result.status === "error") {
      setOn(!next);
      toast.show({ message: result.error.message, tone: "error" });
    }
  };
  return (
    <div className="fetch-ahead">
      <label htmlFor={id}>
        <input id={id} type="checkbox" data-testid="sync-fetch-ahead" checked={on} onChange={(e) => void change(e.target.checked)} />{" "}
        {t("sync.fetchAhead")}
      </label>
      <p className="muted">{t("sync.fetchAheadHelp")}</p>
    </div>
  );
}
