"""The SQL of each schema migration, in the order they were added (see
ilacs.store.migrations for how they are applied and why the schema looks as it does)."""

INITIAL_SCHEMA = """
CREATE TABLE documents (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    source_url TEXT,
    media_type TEXT,
    size INTEGER NOT NULL,
    page_count INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL
        CHECK (kind IN ('inspection_report', 'letter', 'news', 'other', 'unreadable')),
    origin TEXT NOT NULL CHECK (origin IN ('ingested', 'bundled')),
    parser_version TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    extracted_at TEXT
);
CREATE INDEX documents_path ON documents (path);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    document_sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (document_sha256, number)
);

CREATE VIRTUAL TABLE pages_fts USING fts5 (
    text,
    content = 'pages',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER pages_fts_update AFTER UPDATE ON pages BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE authorities (
    urn INTEGER PRIMARY KEY,
    la_code TEXT NOT NULL,
    ons_code TEXT NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    region_code TEXT,
    region_name TEXT,
    la_type TEXT,
    population INTEGER,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE INDEX authorities_la_code ON authorities (la_code);

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    document_sha256 TEXT NOT NULL UNIQUE
        REFERENCES documents (sha256) ON DELETE CASCADE,
    urn INTEGER,
    la_name_printed TEXT,
    framework TEXT,
    inspection_type TEXT,
    inspection_type_basis TEXT,
    inspection_start TEXT,
    inspection_end TEXT,
    publication_date TEXT,
    publication_date_source TEXT,
    lead_inspector TEXT,
    field_pages TEXT NOT NULL DEFAULT '{}',
    improvement_item_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inspections_urn ON inspections (urn, inspection_start);
CREATE INDEX inspections_start ON inspections (inspection_start);
CREATE INDEX inspections_published ON inspections (publication_date);

CREATE TABLE judgements (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    grade TEXT NOT NULL,
    page INTEGER,
    printed TEXT,
    PRIMARY KEY (inspection_id, key)
);
CREATE INDEX judgements_key_grade ON judgements (key, grade);

CREATE TABLE findings (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    outcome INTEGER,
    tag TEXT,
    page INTEGER,
    PRIMARY KEY (inspection_id, position)
);

CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    document_sha256 TEXT,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    page INTEGER,
    field TEXT,
    snippet TEXT,
    parser_version TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX problems_document ON problems (document_sha256);
"""

VISITS_SCHEMA = """
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    document_sha256 TEXT NOT NULL UNIQUE REFERENCES documents (sha256) ON DELETE CASCADE,
    urn INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('focused_visit', 'monitoring_visit', 'jtai')),
    la_name_printed TEXT,
    letter_date TEXT,
    publication_date TEXT,
    visit_start TEXT,
    visit_end TEXT,
    lead_inspector TEXT,
    inspectors TEXT NOT NULL DEFAULT '[]',
    focus TEXT,
    monitoring_visit_number INTEGER,
    field_pages TEXT NOT NULL DEFAULT '{}',
    improvement_item_count INTEGER NOT NULL DEFAULT 0,
    priority_action_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_urn ON visits (urn, visit_start);

CREATE TABLE visit_findings (
    visit_id INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    outcome INTEGER,
    tag TEXT,
    page INTEGER,
    PRIMARY KEY (visit_id, position)
);
"""

# The ledger of `ilacs update`: one row per file URL fetched, so no file is downloaded twice.
# No foreign key to documents: a file is in the ledger from the moment it is stored on disk,
# before (and whether or not) it can be read; the two meet on sha256.
DOWNLOADS_SCHEMA = """
CREATE TABLE downloads (
    url TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL,
    provider_urn INTEGER,
    kind TEXT,
    title TEXT,
    published TEXT
);
CREATE INDEX downloads_sha256 ON downloads (sha256);
CREATE INDEX downloads_provider ON downloads (provider_urn);
"""

STORY_SCHEMA = """
ALTER TABLE visits ADD COLUMN focus_theme TEXT;
ALTER TABLE visits ADD COLUMN headline TEXT;

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    document_sha256 TEXT NOT NULL UNIQUE REFERENCES documents (sha256) ON DELETE CASCADE,
    title TEXT,
    source_url TEXT,
    publication_date TEXT,
    urns TEXT NOT NULL DEFAULT '[]',
    mentioned_urns TEXT NOT NULL DEFAULT '[]',
    visit_dates TEXT NOT NULL DEFAULT '[]',
    inspectors TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('grade', 'rating_change', 'intervention')),
    urn INTEGER,
    judgement TEXT,
    grade TEXT,
    previous_grade TEXT,
    intervention_type TEXT,
    action TEXT,
    partner_urn INTEGER,
    person TEXT,
    when_printed TEXT,
    when_date TEXT,
    when_precision TEXT,
    evidence TEXT NOT NULL,
    page INTEGER NOT NULL DEFAULT 1,
    -- what the record says of it (see ilacs.ingest.claims.link_claims)
    status TEXT NOT NULL DEFAULT 'unlinked'
        CHECK (status IN ('consistent', 'contradicts', 'unlinked', 'suggested')),
    inspection_id INTEGER REFERENCES inspections (id) ON DELETE SET NULL,
    intervention_id INTEGER REFERENCES interventions (id) ON DELETE SET NULL,
    link_note TEXT,
    UNIQUE (article_id, position)
);
CREATE INDEX claims_urn ON claims (urn);

CREATE TABLE quotes (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    role TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE interventions (
    id INTEGER PRIMARY KEY,
    urn INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('improvement_notice', 'statutory_direction',
        'commissioner', 'childrens_trust', 'improvement_partner', 'improvement_adviser',
        'partnership')),
    partner_urn INTEGER,
    partner_name TEXT,
    start_date TEXT,
    end_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'ended', 'unknown')),
    confirmed INTEGER NOT NULL DEFAULT 1,
    note TEXT,
    origin TEXT NOT NULL,
    UNIQUE (urn, type, partner_name, start_date)
);

CREATE TABLE intervention_sources (
    intervention_id INTEGER NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    PRIMARY KEY (intervention_id, source)
);
"""

# The change log (see ilacs.store.changes): `changes` is append-only and keeps its own copy of
# the facts in `details` (JSON), so an entry still reads the same after its document is gone;
# `change_state` holds the facts as the log last saw them, one row per inspection, visit or
# intervention.
CHANGES_SCHEMA = """
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    urn INTEGER,
    document_sha256 TEXT,
    published TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX changes_recorded ON changes (recorded_at);
CREATE INDEX changes_urn ON changes (urn, recorded_at);

CREATE TABLE change_state (
    subject TEXT PRIMARY KEY,
    facts TEXT NOT NULL
);
"""

# The themes of improvement points whose words the record does not hold: the bundled record
# ships each point's themes (ilacs's own classification) and page, never its sentence, so
# theme counts and trends work before any document is ingested. Ingesting the document
# replaces these with its points' text (clear_facts).
POINT_THEMES_SCHEMA = """
CREATE TABLE point_themes (
    document_sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT NOT NULL,
    page INTEGER,
    themes TEXT NOT NULL,
    PRIMARY KEY (document_sha256, position)
);
"""

# Official statistics (see ilacs.statistics and ilacs.ingest.statistics). Every figure of a
# loaded file is a row of `statistics_values`: its series (dataset, indicator column, filter
# values, time identifier), its area as the file names it, its period, and either a value or
# the symbol printed in its place (`missing`), never both. Areas keep the codes as printed and
# how they join the register (`relation`, `urns`), so a figure under an old code is still
# that authority's. `indicator_values` holds the headline indicators of the catalogue,
# derived once from the series when they change (a rate from a count and the population),
# each keyed by its subject ('england', 'region:E12000008', 'la:80419' ...) and citing the
# figures it came from. `statistics_values` has no foreign keys: checking two parents for each
# of several hundred thousand figures doubled the time of a load, so `replace_dataset`
# deletes a data set's figures itself.
STATISTICS_SCHEMA = """
ALTER TABLE problems ADD COLUMN row INTEGER;

CREATE TABLE statistics_sources (
    dataset TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    publication TEXT,
    location TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('loaded', 'fetched', 'bundled')),
    reader_version TEXT NOT NULL,
    rows INTEGER NOT NULL,
    layout TEXT NOT NULL DEFAULT '{}',
    loaded_at TEXT NOT NULL
);

CREATE TABLE statistics_areas (
    id INTEGER PRIMARY KEY,
    level TEXT NOT NULL CHECK (level IN ('national', 'regional', 'local_authority')),
    code TEXT NOT NULL,
    la_code TEXT NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('nation', 'region', 'same', 'former_code',
        'shared', 'predecessor')),
    subject TEXT NOT NULL,
    urn INTEGER,
    urns TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    UNIQUE (level, code, la_code)
);
CREATE INDEX statistics_areas_subject ON statistics_areas (subject);

CREATE TABLE statistics_series (
    id INTEGER PRIMARY KEY,
    dataset TEXT NOT NULL REFERENCES statistics_sources (dataset) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    filters TEXT NOT NULL,
    time_identifier TEXT NOT NULL,
    unit TEXT NOT NULL,
    UNIQUE (dataset, indicator, filters, time_identifier)
);

CREATE TABLE statistics_values (
    series_id INTEGER NOT NULL,
    area_id INTEGER NOT NULL,
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    value REAL,
    missing TEXT CHECK (missing IN ('c', 'x', 'z', 'k', 'low', 'u')),
    row INTEGER NOT NULL,
    CHECK ((value IS NULL) <> (missing IS NULL)),
    PRIMARY KEY (series_id, area_id, period)
) WITHOUT ROWID;

CREATE TABLE indicator_values (
    indicator TEXT NOT NULL,
    subject TEXT NOT NULL,
    urn INTEGER,
    year INTEGER NOT NULL,
    period TEXT NOT NULL,
    value REAL,
    missing TEXT,
    missing_note TEXT,
    sources TEXT NOT NULL,
    CHECK ((value IS NULL) <> (missing IS NULL)),
    PRIMARY KEY (indicator, subject, year)
) WITHOUT ROWID;
CREATE INDEX indicator_values_urn ON indicator_values (urn, indicator);
"""

# The events behind an intervention (issued, revised, lifted ...), each with the page that
# states it; `person` names a commissioner or adviser. An event's date keeps its precision.
INTERVENTION_EVENTS_SCHEMA = """
ALTER TABLE interventions ADD COLUMN person TEXT;
CREATE TABLE intervention_events (
    id INTEGER PRIMARY KEY,
    intervention_id INTEGER NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('issued', 'appointed', 'established', 'revoked',
        'lifted', 'removed', 'revised', 'announced')),
    date TEXT,
    source TEXT NOT NULL,
    quote TEXT,
    note TEXT
);
CREATE UNIQUE INDEX intervention_events_once
    ON intervention_events (intervention_id, action, coalesce(date, ''), source);
"""

# Themes are decided at extraction (ilacs.extract.theme_model) and stored with the point:
# `themes` is a JSON list of [theme key, the words that weighed] (NULL: stored before themes
# were), `theme_model` the classifier's version, so a point classified by an older model is
# re-classified in memory when read and re-stored at the next ingest.
POINT_THEME_COLUMNS = """
ALTER TABLE findings ADD COLUMN themes TEXT;
ALTER TABLE findings ADD COLUMN themes_confident INTEGER;
ALTER TABLE findings ADD COLUMN theme_model TEXT;
ALTER TABLE visit_findings ADD COLUMN themes TEXT;
ALTER TABLE visit_findings ADD COLUMN themes_confident INTEGER;
ALTER TABLE visit_findings ADD COLUMN theme_model TEXT;
ALTER TABLE point_themes ADD COLUMN themes_confident INTEGER;
ALTER TABLE point_themes ADD COLUMN theme_model TEXT;
"""

# What a report praises (ilacs.extract.strengths), with its page and themes like a point's.
# `text` is NULL for a strength known only from the bundled record, which ships no sentence.
STRENGTHS_SCHEMA = """
CREATE TABLE strengths (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('strengths_list', 'summary')),
    text TEXT,
    page INTEGER,
    themes TEXT,
    themes_confident INTEGER,
    theme_model TEXT,
    PRIMARY KEY (inspection_id, position)
);
"""

# What inspectors asked to improve, one row per point whatever document asked it: a report's
# "What needs to improve" (and, section 'lscb', what it asked of the safeguarding children
# board), a letter's points and priority actions. Keyed by document, as every fact derived
# from one is, so a report's and a letter's points are one table and one word. `text` is NULL
# for a point known only from the bundled record (its themes and page, never its sentence);
# `themes` is a JSON list of [theme key, the words that weighed], the words empty for a
# bundled point. Replaces findings, visit_findings and point_themes: their rows are copied,
# a bundled point's space-separated keys rewritten as that JSON (any whitespace between
# keys, runs of up to 32 spaces: the bundle only ever wrote one).
POINTS_SCHEMA = """
CREATE TABLE points (
    document_sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT,
    outcome INTEGER,
    tag TEXT,
    page INTEGER,
    themes TEXT,
    themes_confident INTEGER,
    theme_model TEXT,
    PRIMARY KEY (document_sha256, position)
);
INSERT INTO points (document_sha256, position, section, text, outcome, tag, page, themes,
                    themes_confident, theme_model)
SELECT i.document_sha256, f.position, f.section, f.text, f.outcome, f.tag, f.page, f.themes,
       f.themes_confident, f.theme_model
FROM findings f JOIN inspections i ON i.id = f.inspection_id;
INSERT INTO points (document_sha256, position, section, text, outcome, tag, page, themes,
                    themes_confident, theme_model)
SELECT v.document_sha256, f.position, f.section, f.text, f.outcome, f.tag, f.page, f.themes,
       f.themes_confident, f.theme_model
FROM visit_findings f JOIN visits v ON v.id = f.visit_id;
INSERT OR IGNORE INTO points (document_sha256, position, section, page, themes,
                              themes_confident, theme_model)
SELECT document_sha256, position, section, page,
       CASE WHEN keys = '' THEN '[]'
            ELSE '[["' || replace(keys, ' ', '", ""], ["') || '", ""]]' END,
       themes_confident, theme_model
FROM (SELECT *, trim(replace(replace(replace(replace(replace(
          replace(replace(replace(themes, char(9), ' '), char(10), ' '), char(13), ' '),
          '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS keys
      FROM point_themes);
DROP TABLE findings;
DROP TABLE visit_findings;
DROP TABLE point_themes;
"""

# The search index may be brought up to date in one pass at the end of a bulk write (a first
# ingest): while `search_index_deferred` holds its row, the triggers leave pages_fts alone,
# and ilacs.store.deferred_search rebuilds it from `pages` after (a quarter of the cost of a
# trigger's insert per page) or at the next writable open if the writer stopped first.
DEFERRED_SEARCH_SCHEMA = """
CREATE TABLE search_index_deferred (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    since TEXT NOT NULL
);
DROP TRIGGER pages_fts_insert;
DROP TRIGGER pages_fts_delete;
DROP TRIGGER pages_fts_update;
CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages
WHEN NOT EXISTS (SELECT 1 FROM search_index_deferred) BEGIN
    INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages
WHEN NOT EXISTS (SELECT 1 FROM search_index_deferred) BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER pages_fts_update AFTER UPDATE ON pages
WHEN NOT EXISTS (SELECT 1 FROM search_index_deferred) BEGIN
    INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);
END;
"""
