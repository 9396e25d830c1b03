-- Tag wrangling beyond tags.canonical and tags.merger_id (a synonym points at its canonical tag).

-- Parent/child links, AO3's common taggings: a fandom's characters, relationships and freeforms,
-- a character's relationships. They change no filtering; tag pages show them.
CREATE TABLE tag_parents (
    parent_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    child_id  BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX tag_parents_by_child ON tag_parents(child_id);

-- Meta/sub-tag links: works filed under a sub-tag are filed under its meta tags too
-- (transitively). Never a cycle.
CREATE TABLE meta_taggings (
    meta_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    sub_id  BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (meta_id, sub_id)
);
CREATE INDEX meta_taggings_by_sub ON meta_taggings(sub_id);

CREATE INDEX tags_by_merger ON tags(merger_id);
