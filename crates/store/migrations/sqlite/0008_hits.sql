-- Hit counts, as AO3 keeps them: one per visitor per work per day. Nodes count in memory and
-- record in batches; this table remembers who has been counted today, so that a visitor seen
-- by two nodes, or twice by one that restarted, is counted once. A visitor is a keyed hash of
-- their account or address (the address itself is never stored). Earlier days are forgotten.
-- works.hits holds the count.
CREATE TABLE hit_visitors (
    work_id INTEGER NOT NULL,
    day     INTEGER NOT NULL,
    visitor INTEGER NOT NULL,
    PRIMARY KEY (work_id, day, visitor)
);
CREATE INDEX hit_visitors_by_day ON hit_visitors(day);
