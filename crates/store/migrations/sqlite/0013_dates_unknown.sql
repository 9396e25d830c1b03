-- A work whose imported files give no date has none: "date unknown" on its pages, null in the
-- API, and after every dated work in the date sorts (SQLite puts NULL last in a descending
-- order, so works_by_updated serves as it is).
--
-- SQLite cannot drop a NOT NULL with ALTER TABLE. Dropping one changes nothing stored, so
-- it is done as SQLite's documentation allows for such changes: by editing the table's
-- CREATE statement in the schema, then reloading the schema. Rebuilding the tables instead
-- would have to name every column of every later migration.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql, 'published         TEXT NOT NULL', 'published         TEXT'),
                     'updated           TEXT NOT NULL', 'updated           TEXT')
 WHERE type = 'table' AND name = 'works';
UPDATE sqlite_schema
   SET sql = replace(sql, 'published  TEXT NOT NULL', 'published  TEXT')
 WHERE type = 'table' AND name = 'chapters';
PRAGMA writable_schema = RESET;
