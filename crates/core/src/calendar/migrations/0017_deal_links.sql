-- 0017 an event or a task can be about a deal (a sales opportunity), so the deal's page lists its
-- own meetings and to-dos, not only its customer's. A plain column of the record (it syncs and
-- merges like the customer link beside it); empty for none and for everything made before.
ALTER TABLE events ADD COLUMN opportunity_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN opportunity_id TEXT NOT NULL DEFAULT '';
CREATE INDEX events_by_opportunity ON events(opportunity_id) WHERE opportunity_id <> '';
CREATE INDEX tasks_by_opportunity ON tasks(opportunity_id) WHERE opportunity_id <> '';
