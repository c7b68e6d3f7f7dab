import { useTranslation } from "react-i18next";
import { Icon } from "./Icon";
import { NAV_ITEMS, type PlannedModule } from "./modules";

/** What an unbuilt module will do, so the sidebar entry leads somewhere calm instead of nowhere. */
export function PlannedPage({ module }: { module: PlannedModule }) {
  const { t } = useTranslation();
  const icon = NAV_ITEMS.find((item) => item.id === module)?.icon ?? "briefcase";
  const points = t(`planned.${module}.points`, { returnObjects: true }) as unknown;
  return (
    <section className="page" data-testid={`planned-${module}`}>
      <div className="page-body">
        <div className="placeholder">
          <Icon name={icon} size={32} />
          <h1>{t(`nav.${module}`)}</h1>
          <p>
            <span className="badge">{t("nav.soon")}</span> {t(`planned.${module}.summary`)}
          </p>
          {Array.isArray(points) && (
            <ul>
              {points.map((point) => (
                <li key={String(point)}>{String(point)}</li>
              ))}
            </ul>
          )}
          <p className="faint">{t("planned.meanwhile")}</p>
        </div>
      </div>
    </section>
  );
}
