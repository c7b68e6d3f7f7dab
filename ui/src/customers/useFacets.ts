import { useEffect, useState } from "react";
import { commands, type Facets } from "../bindings";
import { onCustomersChanged } from "../lib/events";
import { call } from "../lib/result";

const EMPTY: Facets = { owners: [], tags: [] };

/** Owners and tags in use, for filters and suggestions; refreshed after any write. */
export function useFacets(): Facets {
  const [facets, setFacets] = useState<Facets>(EMPTY);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const result = await call(commands.customerFacets());
      if (alive && result.status === "ok") setFacets(result.data);
    };
    void load();
    const unsubscribe = onCustomersChanged(() => void load());
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);
  return facets;
}
