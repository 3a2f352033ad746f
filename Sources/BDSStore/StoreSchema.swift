public import GRDB

/// The store's schema, as named migrations. A shipped migration is never edited; changes are new ones.
///
/// Tables:
/// - `source`: every file or URL that fed the store, with licence, retrieval date and checksum, where
///   its data came from (definition, download or local copy) and what its records made.
/// - `entity`: companies and brands (views `company` and `brand` select each kind); one table so
///   that ownership can link brand → company and company → company alike.
/// - `alias`: every name an entity is known by, with its normalised and compact forms; `alias_fts`
///   is an FTS5 trigram index over the normalised form for fuzzy candidates.
/// - `ownership`: owned → owner edges with an optional percentage and their source.
/// - `product`: GTIN-14 (as an integer key) → name and brand.
/// - `listing`: a campaign's statement about an entity, a product or a GS1 company prefix.
/// - `gs1_prefix`: GS1 prefix ranges → issuing organisation or special use.
/// - `gcp_length`: GS1's company-prefix length list (GTIN prefix → length of the company prefix).
/// - `ownership_conflict`: where sources contradict each other about an entity's owners (an ended
///   link re-asserted, shares over 100 %, a cycle), with both sides' sources.
/// - `alternative`: an entity → another entity (or a sentence) a source suggests instead, with its source.
/// - `entity_key`: each source's own key for an entity (an id column, a JSON key) and Wikidata items.
/// - `meta`: key/value facts about the build; `input_file`: the local files it was built from.
public enum StoreSchema {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sources, entities, aliases, ownership, products, listings, GS1 tables") { db in
            try db.execute(
                sql: """
                    CREATE TABLE source (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        url TEXT,
                        licence TEXT,
                        retrieved TEXT,
                        sha256 TEXT,
                        bytes INTEGER,
                        records INTEGER NOT NULL DEFAULT 0,
                        imported_at TEXT NOT NULL
                    );
                    CREATE TABLE entity (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('company', 'brand')),
                        country TEXT,
                        note TEXT,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT,
                        retrieved TEXT
                    );
                    CREATE VIEW company AS SELECT * FROM entity WHERE kind = 'company';
                    CREATE VIEW brand AS SELECT * FROM entity WHERE kind = 'brand';
                    CREATE TABLE alias (
                        id INTEGER PRIMARY KEY,
                        entity_id INTEGER NOT NULL REFERENCES entity(id),
                        name TEXT NOT NULL,
                        norm TEXT NOT NULL,
                        compact TEXT NOT NULL,
                        UNIQUE (entity_id, norm)
                    );
                    CREATE TABLE ownership (
                        owned_id INTEGER NOT NULL REFERENCES entity(id),
                        owner_id INTEGER NOT NULL REFERENCES entity(id),
                        percent REAL CHECK (percent IS NULL OR (percent > 0 AND percent <= 100)),
                        note TEXT,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT,
                        retrieved TEXT,
                        PRIMARY KEY (owned_id, owner_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE product (
                        gtin INTEGER PRIMARY KEY,
                        name TEXT,
                        brand_id INTEGER REFERENCES entity(id),
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT,
                        retrieved TEXT
                    );
                    CREATE TABLE listing (
                        id INTEGER PRIMARY KEY,
                        entity_id INTEGER REFERENCES entity(id),
                        gtin INTEGER,
                        gcp TEXT,
                        campaign TEXT NOT NULL,
                        category TEXT NOT NULL CHECK (category IN
                            ('consumer-boycott', 'divestment', 'pressure', 'organic', 'un-database', 'other')),
                        reasons TEXT NOT NULL,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT NOT NULL,
                        retrieved TEXT NOT NULL,
                        start_date TEXT,
                        end_date TEXT,
                        end_reason TEXT,
                        CHECK ((entity_id IS NOT NULL) + (gtin IS NOT NULL) + (gcp IS NOT NULL) = 1)
                    );
                    CREATE TABLE gs1_prefix (
                        start TEXT NOT NULL,
                        "end" TEXT NOT NULL,
                        usage TEXT NOT NULL,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        CHECK (length(start) = length("end"))
                    );
                    CREATE TABLE gcp_length (
                        prefix TEXT PRIMARY KEY NOT NULL,
                        length INTEGER NOT NULL,
                        source_id TEXT NOT NULL REFERENCES source(id)
                    ) WITHOUT ROWID;
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE input_file (
                        path TEXT PRIMARY KEY NOT NULL,
                        size INTEGER NOT NULL,
                        mtime REAL NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2: where each alias comes from, and derived short names") { db in
            // source_id: the source that gave the alias (NULL for derived ones).
            // derived_from: for a short name derived at build time, the formal name it shortens;
            // derived_strong: 1 when such a name may match (see ShortName), 0 when it only suggests.
            try db.execute(
                sql: """
                    ALTER TABLE alias ADD COLUMN source_id TEXT REFERENCES source(id);
                    ALTER TABLE alias ADD COLUMN derived_from TEXT;
                    ALTER TABLE alias ADD COLUMN derived_strong INTEGER;
                    """)
        }
        migrator.registerMigration("v3: where each source's data came from, and what its records made") { db in
            // origin: 'definition', 'fetched' or 'local-file' (SourceOrigin.Kind); origin_location: the
            // definition's file, the URL, or the local file the kept copy was made from; etag and
            // last_modified: a download's validators; obtained_at: when it was downloaded or copied.
            // inserted: rows made per target, as a JSON object ({"product": 120, "entity": 8});
            // invalid: records set aside (`on-invalid = "report"`); skipped: emits skipped by
            // `skip-when-empty`; non_product_codes: product rows with in-store, book or coupon codes.
            try db.execute(
                sql: """
                    ALTER TABLE source ADD COLUMN origin TEXT;
                    ALTER TABLE source ADD COLUMN origin_location TEXT;
                    ALTER TABLE source ADD COLUMN etag TEXT;
                    ALTER TABLE source ADD COLUMN last_modified TEXT;
                    ALTER TABLE source ADD COLUMN obtained_at TEXT;
                    ALTER TABLE source ADD COLUMN inserted TEXT;
                    ALTER TABLE source ADD COLUMN invalid INTEGER;
                    ALTER TABLE source ADD COLUMN skipped INTEGER;
                    ALTER TABLE source ADD COLUMN non_product_codes INTEGER;
                    """)
        }
        migrator.registerMigration("v4: alternatives that sources suggest for an entity") { db in
            // An alternative is another entity (alternative_id) or a sentence (text), suggested by a
            // source for entity_id; region and category narrow it when the source says so.
            try db.execute(
                sql: """
                    CREATE TABLE alternative (
                        entity_id INTEGER NOT NULL REFERENCES entity(id),
                        alternative_id INTEGER REFERENCES entity(id),
                        text TEXT,
                        region TEXT,
                        category TEXT,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT,
                        retrieved TEXT,
                        CHECK ((alternative_id IS NULL) <> (text IS NULL))
                    );
                    CREATE INDEX alternative_by_entity ON alternative(entity_id);
                    """)
        }
        migrator.registerMigration("v5: dated ownership, and contradictions between sources about it") { db in
            // start_date, end_date: when the ownership began and ended, as its source dates them; an
            // edge with an end date is history. ownership_conflict: one row per contradiction the
            // build found (OwnershipContradiction.Kind), the claim not followed and what it runs against.
            try db.execute(
                sql: """
                    ALTER TABLE ownership ADD COLUMN start_date TEXT;
                    ALTER TABLE ownership ADD COLUMN end_date TEXT;
                    CREATE TABLE ownership_conflict (
                        owned_id INTEGER NOT NULL REFERENCES entity(id),
                        kind TEXT NOT NULL CHECK (kind IN ('ended-reasserted', 'shares-over-100', 'cycle')),
                        claim TEXT NOT NULL,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        source_url TEXT,
                        retrieved TEXT,
                        against TEXT NOT NULL,
                        against_source_id TEXT NOT NULL REFERENCES source(id),
                        against_source_url TEXT
                    );
                    CREATE INDEX ownership_conflict_owned ON ownership_conflict(owned_id);
                    """)
        }
        migrator.registerMigration("v6: each source's own keys for its entities") { db in
            // scheme: the id of the source whose key it is, or 'wikidata' for a Wikidata item.
            try db.execute(
                sql: """
                    CREATE TABLE entity_key (
                        entity_id INTEGER NOT NULL REFERENCES entity(id),
                        scheme TEXT NOT NULL,
                        key TEXT NOT NULL,
                        source_id TEXT NOT NULL REFERENCES source(id),
                        PRIMARY KEY (scheme, key, entity_id)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// Indexes and the search index, created after a bulk load (much faster than maintaining them row by row).
    public static let postLoadSQL = """
        CREATE INDEX IF NOT EXISTS alias_norm ON alias(norm);
        CREATE INDEX IF NOT EXISTS alias_compact ON alias(compact);
        CREATE INDEX IF NOT EXISTS alias_entity ON alias(entity_id);
        CREATE INDEX IF NOT EXISTS ownership_owner ON ownership(owner_id);
        CREATE INDEX IF NOT EXISTS listing_entity ON listing(entity_id) WHERE entity_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS listing_gtin ON listing(gtin) WHERE gtin IS NOT NULL;
        CREATE INDEX IF NOT EXISTS listing_gcp ON listing(gcp) WHERE gcp IS NOT NULL;
        CREATE INDEX IF NOT EXISTS product_brand ON product(brand_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS alias_fts USING fts5(
            norm, content='alias', content_rowid='id', tokenize='trigram'
        );
        INSERT INTO alias_fts(alias_fts) VALUES ('rebuild');
        """
}
