/**
 * The registry: every module the app shows, one line each, in sidebar order (a nav entry's
 * `order` can override it). A module is its folder under src/ and the `UiModule` its module.tsx
 * exports; adding one is a new folder and a new line here (see ui/README.md).
 */
import { calendarModule } from "../calendar/module";
import { customersModule } from "../customers/module";
import { salesModule } from "../sales/module";
import { serviceModule } from "../service/module";
import type { UiModule } from "../shell/module";

export const MODULES: readonly UiModule[] = [
  customersModule,
  calendarModule,
  salesModule,
  serviceModule,
];
