/**
 * Every module PRODUCT.md names, built or not. Unbuilt ones are listed so users see where the app
 * is going, and open a calm "planned" page instead of a broken one.
 */
import type { IconName } from "./Icon";

export type PlannedModule =
  | "calendar"
  | "sales"
  | "opportunities"
  | "quotes"
  | "contracts"
  | "service"
  | "marketing"
  | "reports";

export type NavModule = "customers" | "trash" | "duplicates" | "settings" | PlannedModule;

export type NavItem = {
  id: NavModule;
  icon: IconName;
  built: boolean;
  /** Indented under the item before it. */
  child?: boolean;
};

export const NAV_ITEMS: NavItem[] = [
  { id: "customers", icon: "users", built: true },
  { id: "trash", icon: "trash", built: true, child: true },
  { id: "duplicates", icon: "duplicate", built: true, child: true },
  { id: "calendar", icon: "calendar", built: false },
  { id: "sales", icon: "briefcase", built: false },
  { id: "opportunities", icon: "target", built: false, child: true },
  { id: "quotes", icon: "file", built: false, child: true },
  { id: "contracts", icon: "contract", built: false, child: true },
  { id: "service", icon: "lifebuoy", built: false },
  { id: "marketing", icon: "megaphone", built: false },
  { id: "reports", icon: "chart", built: false },
];

export const SETTINGS_ITEM: NavItem = { id: "settings", icon: "settings", built: true };

export const PLANNED_MODULES: PlannedModule[] = NAV_ITEMS.filter((item) => !item.built).map(
  (item) => item.id as PlannedModule,
);
