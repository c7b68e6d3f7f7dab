import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type Activity, type AppError, type CustomerId, type TimelineItem } from "../bindings";
import { onCustomersChanged } from "../lib/events";
import { call } from "../lib/result";
import { appendPage, insertActivity, removeActivity } from "./activities";

/** One screenful and then some; a record may have 10,000 entries, so never ask for all of them. */
export const TIMELINE_PAGE = 50;

export type Timeline = {
  items: TimelineItem[];
  /** False until the first page has answered. */
  loaded: boolean;
  error: AppError | null;
  /** There is an older page to fetch. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Shows an activity the user just logged (or brought back with Undo) without a reload. */
  add: (activity: Activity) => void;
  remove: (id: string) => void;
};

/**
 * A customer's timeline, newest first, a page at a time. Every write to customers in this window
 * (an edit, trash, restore) adds a change group at the top, so those reload the first page.
 * Answers to requests that a newer reload has overtaken are dropped.
 */
export function useTimeline(id: CustomerId): Timeline {
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped by every reload; a page that answers for an older generation is stale.
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoadingMore(false);
    const result = await call(commands.customerTimeline(id, null, TIMELINE_PAGE));
    if (mine !== generation.current) return;
    if (result.status === "error") {
      setError(result.error);
      setLoaded(true);
      return;
    }
    setError(null);
    setItems(result.data.items);
    setNextBefore(result.data.nextBefore);
    setLoaded(true);
  }, [id]);

  useEffect(() => {
    setItems([]);
    setNextBefore(null);
    setLoaded(false);
    void reload();
    return onCustomersChanged(() => void reload());
  }, [reload]);

  const loadMore = useCallback(async () => {
    if (!nextBefore || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    const result = await call(commands.customerTimeline(id, nextBefore, TIMELINE_PAGE));
    if (mine !== generation.current) return;
    setLoadingMore(false);
    if (result.status === "error") {
      setError(result.error);
      return;
    }
    setError(null);
    setItems((current) => appendPage(current, result.data.items));
    setNextBefore(result.data.nextBefore);
  }, [id, nextBefore, loadingMore]);

  const add = useCallback((activity: Activity) => setItems((current) => insertActivity(current, activity)), []);
  const remove = useCallback((activityId: string) => setItems((current) => removeActivity(current, activityId)), []);

  return {
    items,
    loaded,
    error,
    hasMore: nextBefore !== null,
    loadingMore,
    loadMore: () => void loadMore(),
    reload: () => void reload(),
    add,
    remove,
  };
}
