import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";
import type { ModuleAction } from "../shell/module";
import { useFilters } from "./filters";
import { STAGES } from "./stages";

/**
 * The customers' palette actions. New person and New company are also the top bar's buttons, and
 * their hotkeys work from anywhere (the shell binds every module action's hotkey).
 */
export function useCustomerActions(): ModuleAction[] {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const filters = useFilters();

  return useMemo<ModuleAction[]>(
    () => [
      { id: "new-person", group: "create", label: t("action.newPerson"), hotkey: SHORTCUTS.newPerson, keywords: "add create contact", topbar: { label: t("action.newPersonShort"), primary: true }, run: () => navigate({ name: "new", kind: "person" }) },
      { id: "new-company", group: "create", label: t("action.newCompany"), hotkey: SHORTCUTS.newCompany, keywords: "add create organisation", topbar: { label: t("action.newCompanyShort") }, run: () => navigate({ name: "new", kind: "company" }) },
      { id: "import-customers", group: "create", label: t("palette.importCustomers"), keywords: "import upload csv vcard vcf excel google outlook contacts 导入 通讯录", run: () => navigate({ name: "import" }) },
      { id: "go-customers", group: "go", label: t("palette.goTo", { module: t("nav.customers") }), run: () => navigate({ name: "customers" }) },
      { id: "go-trash", group: "go", label: t("palette.openTrash"), keywords: "deleted restore", run: () => navigate({ name: "trash" }) },
      { id: "go-duplicates", group: "go", label: t("palette.findDuplicates"), keywords: "duplicate same similar dedupe 重复", run: () => navigate({ name: "duplicates" }) },
      ...STAGES.map((stage): ModuleAction => ({
        id: `filter-stage-${stage}`,
        group: "view",
        label: t("palette.showStage", { stage: t(`stage.${stage}`) }),
        keywords: "filter stage",
        run: () => {
          filters.setStage(stage);
          navigate({ name: "customers" });
        },
      })),
      { id: "filter-companies", group: "view", label: t("palette.showCompanies"), keywords: "filter kind", run: () => { filters.setKind("company"); navigate({ name: "customers" }); } },
      { id: "filter-people", group: "view", label: t("palette.showPeople"), keywords: "filter kind", run: () => { filters.setKind("person"); navigate({ name: "customers" }); } },
      { id: "filter-clear", group: "view", label: t("list.clearFilters"), keywords: "filter reset all", run: () => { filters.clear(); navigate({ name: "customers" }); } },
    ],
    [t, navigate, filters],
  );
}
