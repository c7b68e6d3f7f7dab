import { useTranslation } from "react-i18next";
import type { CustomerKind, Stage } from "../bindings";
import { Icon } from "../shell/Icon";

export function StagePill({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return <span className={`pill pill-${stage}`}>{t(`stage.${stage}`)}</span>;
}

export function KindIcon({ kind }: { kind: CustomerKind }) {
  const { t } = useTranslation();
  return (
    <span className="kind-icon" title={t(`kind.${kind}`)}>
      <Icon name={kind === "company" ? "company" : "person"} size={14} />
    </span>
  );
}
