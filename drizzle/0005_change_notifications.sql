-- Change notifications (issue 22): every committed write to a table the api reads is announced on
-- the `rushes_changes` channel, whichever process made it (api, worker, CLI, psql), so each api
-- process can drop what it cached from those rows (apps/api/src/graphql/read-cache.ts).
-- Statement-level triggers with transition tables: a statement that changes 1,000 clips of one
-- production sends one notification naming that production; one that changes no row sends none.
-- The payload is the affected productions' ids, comma-separated, or `*` for a change not tied to
-- productions (people, sessions, keys, import roots), for more than 100 productions at once, or
-- for rows whose production is no longer known (a cascade from a deleted parent).
-- TG_ARGV[0]: a query giving one production id (or NULL) per changed row, with %1$s for the rows.
CREATE FUNCTION rushes_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
  ids text[];
BEGIN
  EXECUTE format(
    'select count(*), array_agg(distinct p::text) filter (where p is not null) from (' || TG_ARGV[0] || ') as q(p)',
    CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END
  ) INTO changed, ids;
  IF changed = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify(
    'rushes_changes',
    CASE WHEN ids IS NULL OR cardinality(ids) > 100 THEN '*' ELSE array_to_string(ids, ',') END
  );
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION rushes_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rushes_changes', '*');
  RETURN NULL;
END
$$;--> statement-breakpoint
-- One trigger per event (transition tables allow no more), and one for TRUNCATE.
CREATE FUNCTION rushes_watch(target regclass, production_query text, update_query text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text := replace(target::text, '"', '');
BEGIN
  EXECUTE format(
    'CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rushes_notify_changes(%L)',
    name || '_changes_insert', target, production_query);
  EXECUTE format(
    'CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rushes_notify_changes(%L)',
    name || '_changes_update', target, coalesce(update_query, production_query));
  EXECUTE format(
    'CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rushes_notify_changes(%L)',
    name || '_changes_delete', target, production_query);
  EXECUTE format(
    'CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION rushes_notify_truncate()',
    name || '_changes_truncate', target);
END
$$;--> statement-breakpoint
SELECT rushes_watch('productions', 'select id from %1$s');--> statement-breakpoint
SELECT rushes_watch('rolls', 'select production_id from %1$s');--> statement-breakpoint
SELECT rushes_watch('clips', 'select production_id from %1$s');--> statement-breakpoint
SELECT rushes_watch('audit_events', 'select production_id from %1$s');--> statement-breakpoint
SELECT rushes_watch('renditions', 'select c.production_id from %1$s r left join clips c on c.id = r.clip_id');--> statement-breakpoint
SELECT rushes_watch('tasks', 'select c.production_id from %1$s r left join clips c on c.id = r.clip_id');--> statement-breakpoint
SELECT rushes_watch('manifests', 'select o.production_id from %1$s r left join rolls o on o.id = r.roll_id');--> statement-breakpoint
SELECT rushes_watch('uploads', 'select o.production_id from %1$s r left join rolls o on o.id = r.roll_id');--> statement-breakpoint
SELECT rushes_watch('users', 'select null::uuid from %1$s');--> statement-breakpoint
SELECT rushes_watch('sessions', 'select null::uuid from %1$s');--> statement-breakpoint
SELECT rushes_watch('production_members', 'select null::uuid from %1$s');--> statement-breakpoint
SELECT rushes_watch('import_roots', 'select null::uuid from %1$s');--> statement-breakpoint
-- An API key's "last used" is written at most once a minute while the key is used; announcing it
-- would empty every cache that often, so it is left out (a cached key list may show it up to the
-- cache's lifetime late; it is kept to the minute anyway).
SELECT rushes_watch(
  'api_keys',
  'select null::uuid from %1$s',
  'select null::uuid from new_rows n join old_rows o on o.id = n.id
    where (n.name, n.prefix, n.secret_hash, n.role, n.production_ids, n.created_by, n.expires_at, n.revoked_at)
          is distinct from (o.name, o.prefix, o.secret_hash, o.role, o.production_ids, o.created_by, o.expires_at, o.revoked_at)'
);--> statement-breakpoint
DROP FUNCTION rushes_watch(regclass, text, text);
