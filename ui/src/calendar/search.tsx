import { searchEverything } from "../shell/everything";
import { Icon } from "../shell/Icon";
import type { ModuleSearch, ModuleSearchHit } from "../shell/module";

/**
 * Events in the global search and the palette, by title, location or customer, latest first (the
 * calendar part of the core's `search_everything`; someone else's private event is not found).
 */
export const calendarSearch: ModuleSearch = {
  label: "calendar.searchGroup",
  find: async (text, limit) => {
    const result = await searchEverything(text, limit);
    if (result.status === "error") return result;
    const hits = result.data.calendar.map(
      (x): ModuleSearchHit => ({ id: `event:${x.id}`, title: x.title, subtitle: x.subtitle || undefined, icon: <Icon name="calendar" />, route: { name: "event", id: x.id } }),
    );
    return { status: "ok", data: hits };
  },
};
