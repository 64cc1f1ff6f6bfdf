#include "shared/schema.hpp"

namespace shouxin::schema {

namespace {

// v1: the event log, device chain heads, and the folded state.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE node(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE device(
  id         TEXT PRIMARY KEY,
  office     TEXT NOT NULL,
  public_key TEXT NOT NULL DEFAULT '',
  head_seq   INTEGER NOT NULL,
  head_hash  TEXT NOT NULL
) WITHOUT ROWID;

-- The public record. Rows are only ever inserted; rowid is arrival order.
CREATE TABLE event(
  id              TEXT PRIMARY KEY,
  office          TEXT NOT NULL,
  device          TEXT NOT NULL REFERENCES device(id),
  seq             INTEGER NOT NULL,
  hlc             INTEGER NOT NULL,
  actor           TEXT NOT NULL,
  type            TEXT NOT NULL,
  payload_version INTEGER NOT NULL,
  payload         TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  acked           INTEGER NOT NULL DEFAULT 0,
  UNIQUE(device, seq)
);
CREATE INDEX event_order ON event(hlc, device, seq);
CREATE INDEX event_subject ON event(subject, hlc, device, seq);

CREATE TABLE office(
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE commitment(
  id                TEXT PRIMARY KEY,
  office            TEXT NOT NULL,
  category          TEXT NOT NULL,
  kind              TEXT NOT NULL,
  title             TEXT NOT NULL,
  detail            TEXT NOT NULL,
  department        TEXT NOT NULL,
  responsible       TEXT NOT NULL,
  deadline          TEXT,
  time_limit        TEXT NOT NULL,
  published         TEXT NOT NULL,
  status            TEXT NOT NULL,
  progress          INTEGER NOT NULL,
  status_date       TEXT,
  fulfilled_on      TEXT,
  report_count      INTEGER NOT NULL,
  last_report       TEXT NOT NULL,
  concurrent        INTEGER NOT NULL,
  amend_reason      TEXT NOT NULL,
  amend_legal_basis TEXT NOT NULL
);
CREATE INDEX commitment_office ON commitment(office, category);

CREATE TABLE fulfilment(
  event_id    TEXT PRIMARY KEY REFERENCES event(id),
  commitment  TEXT NOT NULL,
  office      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  hlc         INTEGER NOT NULL,
  date        TEXT NOT NULL,
  status      TEXT NOT NULL,
  progress    INTEGER NOT NULL,
  note        TEXT NOT NULL,
  evidence    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  based_on    TEXT NOT NULL,
  concurrent  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX fulfilment_commitment ON fulfilment(commitment, hlc);

CREATE TABLE complaint(
  id             TEXT PRIMARY KEY,
  office         TEXT NOT NULL,
  ticket         TEXT NOT NULL,
  commitment     TEXT NOT NULL,
  text           TEXT NOT NULL,
  sealed_contact TEXT NOT NULL,
  filed          TEXT NOT NULL,
  answer         TEXT,
  answered_on    TEXT,
  answered_by    TEXT
) WITHOUT ROWID;
CREATE INDEX complaint_ticket ON complaint(ticket);

CREATE TABLE rating(
  event_id   TEXT PRIMARY KEY REFERENCES event(id),
  office     TEXT NOT NULL,
  commitment TEXT NOT NULL,
  complaint  TEXT NOT NULL,
  score      INTEGER NOT NULL,
  date       TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// v2: full-text search over commitments' Chinese text. FTS5's trigram
// tokenizer needs no word segmentation; queries of one or two characters
// fall back to LIKE (Store::search). Triggers keep the index in step with
// the fold, and the index is filled from the commitments already held.
constexpr std::string_view kV2 = R"sql(
CREATE VIRTUAL TABLE commitment_search USING fts5(
  title, detail, department,
  content = 'commitment', content_rowid = 'rowid', tokenize = 'trigram'
);
CREATE TRIGGER commitment_search_insert AFTER INSERT ON commitment BEGIN
  INSERT INTO commitment_search(rowid, title, detail, department)
  VALUES (new.rowid, new.title, new.detail, new.department);
END;
CREATE TRIGGER commitment_search_delete AFTER DELETE ON commitment BEGIN
  INSERT INTO commitment_search(commitment_search, rowid, title, detail, department)
  VALUES ('delete', old.rowid, old.title, old.detail, old.department);
END;
CREATE TRIGGER commitment_search_update AFTER UPDATE OF title, detail, department ON commitment BEGIN
  INSERT INTO commitment_search(commitment_search, rowid, title, detail, department)
  VALUES ('delete', old.rowid, old.title, old.detail, old.department);
  INSERT INTO commitment_search(rowid, title, detail, department)
  VALUES (new.rowid, new.title, new.detail, new.department);
END;
INSERT INTO commitment_search(commitment_search) VALUES ('rebuild');
)sql";

// v3: sync. The district numbers every event it accepts (dseq); a node
// keeps the number it learns when its push is acknowledged or when it pulls.
// Events whose content was refused (by the district, or by this node) are
// set aside with the reason: the chain still runs through them. The device
// table doubles as the district's registry of enrolled devices.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE event ADD COLUMN dseq INTEGER;
CREATE UNIQUE INDEX event_dseq ON event(dseq) WHERE dseq IS NOT NULL;
CREATE INDEX event_scope ON event(office, dseq);
CREATE INDEX event_pending ON event(device, acked, seq);

ALTER TABLE device ADD COLUMN token_hash TEXT;
ALTER TABLE device ADD COLUMN enrolled_at INTEGER;
ALTER TABLE device ADD COLUMN revoked_at INTEGER;
ALTER TABLE device ADD COLUMN head_signature TEXT NOT NULL DEFAULT '';
ALTER TABLE device ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX device_token ON device(token_hash) WHERE token_hash IS NOT NULL;

CREATE TABLE set_aside(
  id              TEXT PRIMARY KEY,
  office          TEXT NOT NULL,
  device          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  hlc             INTEGER NOT NULL,
  actor           TEXT NOT NULL,
  type            TEXT NOT NULL,
  payload_version INTEGER NOT NULL,
  payload         TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  reason          TEXT NOT NULL,
  detail          TEXT NOT NULL,
  at              INTEGER NOT NULL,
  UNIQUE(device, seq)
) WITHOUT ROWID;

CREATE TABLE enrolment(
  code_hash  TEXT PRIMARY KEY,
  office     TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_by    TEXT,
  used_at    INTEGER
) WITHOUT ROWID;
)sql";

// v4: clerk accounts (folded from clerk.added / clerk.disabled events, so
// they reach the district and the office's other kiosks) and the public
// history of supervisors' revisions of a commitment's text.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE clerk(
  office   TEXT NOT NULL,
  id       TEXT NOT NULL,
  name     TEXT NOT NULL,
  role     TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  PRIMARY KEY(office, id)
) WITHOUT ROWID;

CREATE TABLE revision(
  event_id    TEXT PRIMARY KEY REFERENCES event(id),
  commitment  TEXT NOT NULL,
  office      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  hlc         INTEGER NOT NULL,
  date        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  title       TEXT NOT NULL,
  detail      TEXT NOT NULL,
  department  TEXT NOT NULL,
  responsible TEXT NOT NULL,
  deadline    TEXT,
  time_limit  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX revision_commitment ON revision(commitment, hlc);
)sql";

// v5: one- and two-character searches scan this covering index of titles
// and departments instead of every commitment's full text.
constexpr std::string_view kV5 = R"sql(
CREATE INDEX commitment_short_search ON commitment(title, department);
)sql";

// v6: a set-aside event keeps at most a prefix of an oversize payload (its
// hash stays, so the chain still links through it); payload_bytes is the
// payload's whole length when it was cut, NULL when kept whole.
constexpr std::string_view kV6 = R"sql(
ALTER TABLE set_aside ADD COLUMN payload_bytes INTEGER;
)sql";

// v7: a service area's list reads this covering index of the summary
// columns (Store::forEachCommitmentSummary), the area's entries side by
// side, instead of scanning every commitment with its full text (at 100k
// commitments the scan read the whole 30 MB table to open one area).
constexpr std::string_view kV7 = R"sql(
CREATE INDEX commitment_area ON commitment(category, status, deadline, kind, title, department, published,
  progress, status_date, fulfilled_on, report_count, last_report, concurrent, office, id);
)sql";

// v8: residents' voice and breach records. A complaint's reason from the
// kiosk's list; the steps of its handling (taken up, closed, contact read);
// breach records (政务失信记录) with their stage, and each dated step. A
// complaint's status is derived from its answer, steps and rating.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE complaint ADD COLUMN reason TEXT NOT NULL DEFAULT 'other';
CREATE INDEX complaint_office ON complaint(office, filed);
CREATE INDEX rating_complaint ON rating(complaint);

CREATE TABLE complaint_step(
  event_id  TEXT PRIMARY KEY REFERENCES event(id),
  complaint TEXT NOT NULL,
  office    TEXT NOT NULL,
  actor     TEXT NOT NULL,
  hlc       INTEGER NOT NULL,
  step      TEXT NOT NULL,
  note      TEXT NOT NULL,
  date      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX complaint_step_complaint ON complaint_step(complaint, hlc);

CREATE TABLE breach(
  id         TEXT PRIMARY KEY,
  office     TEXT NOT NULL,
  commitment TEXT NOT NULL,
  actor      TEXT NOT NULL,
  note       TEXT NOT NULL,
  confirmed  TEXT NOT NULL,
  object_by  TEXT NOT NULL,
  rectify_by TEXT NOT NULL,
  stage      TEXT NOT NULL,
  stage_date TEXT NOT NULL,
  objected   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX breach_commitment ON breach(commitment);
CREATE INDEX breach_office ON breach(office, confirmed);

CREATE TABLE breach_step(
  event_id TEXT PRIMARY KEY REFERENCES event(id),
  breach   TEXT NOT NULL,
  office   TEXT NOT NULL,
  actor    TEXT NOT NULL,
  hlc      INTEGER NOT NULL,
  step     TEXT NOT NULL,
  note     TEXT NOT NULL,
  date     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX breach_step_breach ON breach_step(breach, hlc);
)sql";

// v9: cheaper writes. The pending index holds only events recorded here
// and not yet acknowledged, since events from elsewhere are stored as
// acknowledged (nothing to push). (event_order stays: besides a rebuild,
// Home's "last updated" reads max(hlc) from it at every start.)
// And the search index is brought up to date once per transaction, not
// once per statement. SQLite 3.40's FTS5 writes its pending terms to disk
// at every statement savepoint, so a trigger that indexed each commitment as
// it was folded made a new index segment per statement (and merges of them):
// a third of a batch's time. The triggers now only note which commitments
// changed, with the text the index holds for those it already holds;
// Fold::flushSearch (run just before every commit) deletes that text from
// the index and indexes the current text, two statements in all.
constexpr std::string_view kV9 = R"sql(
DROP INDEX event_pending;
UPDATE event SET acked = 1 WHERE acked = 0 AND device != (SELECT value FROM node WHERE key = 'device');
CREATE INDEX event_pending ON event(device, seq) WHERE acked = 0;

CREATE TABLE commitment_search_pending(
  id             INTEGER PRIMARY KEY,  -- the commitment's rowid
  indexed        INTEGER NOT NULL,     -- 1: the index holds old_* for it
  old_title      TEXT,
  old_detail     TEXT,
  old_department TEXT
);
DROP TRIGGER commitment_search_insert;
DROP TRIGGER commitment_search_delete;
DROP TRIGGER commitment_search_update;
-- The first note of a row in a transaction wins: it holds what the index has.
CREATE TRIGGER commitment_search_insert AFTER INSERT ON commitment BEGIN
  INSERT OR IGNORE INTO commitment_search_pending(id, indexed) VALUES (new.rowid, 0);
END;
CREATE TRIGGER commitment_search_delete AFTER DELETE ON commitment BEGIN
  INSERT OR IGNORE INTO commitment_search_pending
  VALUES (old.rowid, 1, old.title, old.detail, old.department);
END;
CREATE TRIGGER commitment_search_update AFTER UPDATE OF title, detail, department ON commitment BEGIN
  INSERT OR IGNORE INTO commitment_search_pending
  VALUES (old.rowid, 1, old.title, old.detail, old.department);
END;
)sql";

// v10: levels (逐级归集). A server relays each device's events to the level
// above in runs that end at a chain head the device signed, so that level
// verifies every chain with the device's own key: every signed head is kept
// (with, for events relayed from the level below, that level's receipt,
// "dseq signature"). up_seq: how far the level above holds the device's
// chain; what waits to go up comes after it. The regions enrolled at a
// server (those directly below it) are found by their office code.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE signed_head(
  device    TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  hash      TEXT NOT NULL,
  signature TEXT NOT NULL,
  receipt   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(device, seq)
) WITHOUT ROWID;
INSERT INTO signed_head(device, seq, hash, signature)
  SELECT id, head_seq, head_hash, head_signature FROM device WHERE head_signature != '' AND head_seq > 0;
ALTER TABLE device ADD COLUMN up_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX device_region ON device(office) WHERE length(office) < 9;
)sql";

// ---- PostgreSQL -------------------------------------------------------------
//
// A district (or city) may keep its database in PostgreSQL. Its schema
// starts at version 9: this one text makes what SQLite's v1..v9 make, with
// BIGINT for every integer (hlc stamps are 64-bit) and byte-order text
// (COLLATE "C", as SQLite's BINARY: the state digest reads rows in key
// order). No WITHOUT ROWID and no FTS5: search reads pg_trgm trigram
// indexes when the extension can be created (a trusted extension since
// PostgreSQL 13: the database's owner may), and scans with ILIKE otherwise.
// event.rowid numbers rows in arrival order, as SQLite's rowid does
// (Store::changeMark).
constexpr std::string_view kPgV9 = R"sql(
CREATE TABLE node(
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE device(
  id             TEXT COLLATE "C" PRIMARY KEY,
  office         TEXT COLLATE "C" NOT NULL,
  public_key     TEXT COLLATE "C" NOT NULL DEFAULT '',
  head_seq       BIGINT NOT NULL,
  head_hash      TEXT COLLATE "C" NOT NULL,
  token_hash     TEXT COLLATE "C",
  enrolled_at    BIGINT,
  revoked_at     BIGINT,
  head_signature TEXT COLLATE "C" NOT NULL DEFAULT '',
  partial        BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX device_token ON device(token_hash) WHERE token_hash IS NOT NULL;

CREATE TABLE event(
  id              TEXT COLLATE "C" PRIMARY KEY,
  office          TEXT COLLATE "C" NOT NULL,
  device          TEXT COLLATE "C" NOT NULL REFERENCES device(id),
  seq             BIGINT NOT NULL,
  hlc             BIGINT NOT NULL,
  actor           TEXT COLLATE "C" NOT NULL,
  type            TEXT COLLATE "C" NOT NULL,
  payload_version BIGINT NOT NULL,
  payload         TEXT COLLATE "C" NOT NULL,
  prev_hash       TEXT COLLATE "C" NOT NULL,
  hash            TEXT COLLATE "C" NOT NULL,
  subject         TEXT COLLATE "C" NOT NULL,
  acked           BIGINT NOT NULL DEFAULT 0,
  dseq            BIGINT,
  rowid           BIGINT GENERATED ALWAYS AS IDENTITY,
  UNIQUE(device, seq)
);
CREATE INDEX event_order ON event(hlc, device, seq);
CREATE INDEX event_subject ON event(subject, hlc, device, seq);
CREATE UNIQUE INDEX event_dseq ON event(dseq) WHERE dseq IS NOT NULL;
CREATE INDEX event_scope ON event(office, dseq);
CREATE INDEX event_pending ON event(device, seq) WHERE acked = 0;

CREATE TABLE office(
  code TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL
);

CREATE TABLE commitment(
  id                TEXT COLLATE "C" PRIMARY KEY,
  office            TEXT COLLATE "C" NOT NULL,
  category          TEXT COLLATE "C" NOT NULL,
  kind              TEXT COLLATE "C" NOT NULL,
  title             TEXT COLLATE "C" NOT NULL,
  detail            TEXT COLLATE "C" NOT NULL,
  department        TEXT COLLATE "C" NOT NULL,
  responsible       TEXT COLLATE "C" NOT NULL,
  deadline          TEXT COLLATE "C",
  time_limit        TEXT COLLATE "C" NOT NULL,
  published         TEXT COLLATE "C" NOT NULL,
  status            TEXT COLLATE "C" NOT NULL,
  progress          BIGINT NOT NULL,
  status_date       TEXT COLLATE "C",
  fulfilled_on      TEXT COLLATE "C",
  report_count      BIGINT NOT NULL,
  last_report       TEXT COLLATE "C" NOT NULL,
  concurrent        BIGINT NOT NULL,
  amend_reason      TEXT COLLATE "C" NOT NULL,
  amend_legal_basis TEXT COLLATE "C" NOT NULL
);
CREATE INDEX commitment_office ON commitment(office, category);
CREATE INDEX commitment_area ON commitment(category);

CREATE TABLE fulfilment(
  event_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES event(id),
  commitment  TEXT COLLATE "C" NOT NULL,
  office      TEXT COLLATE "C" NOT NULL,
  actor       TEXT COLLATE "C" NOT NULL,
  hlc         BIGINT NOT NULL,
  date        TEXT COLLATE "C" NOT NULL,
  status      TEXT COLLATE "C" NOT NULL,
  progress    BIGINT NOT NULL,
  note        TEXT COLLATE "C" NOT NULL,
  evidence    TEXT COLLATE "C" NOT NULL,
  reason      TEXT COLLATE "C" NOT NULL,
  legal_basis TEXT COLLATE "C" NOT NULL,
  based_on    TEXT COLLATE "C" NOT NULL,
  concurrent  BIGINT NOT NULL
);
CREATE INDEX fulfilment_commitment ON fulfilment(commitment, hlc);

CREATE TABLE complaint(
  id             TEXT COLLATE "C" PRIMARY KEY,
  office         TEXT COLLATE "C" NOT NULL,
  ticket         TEXT COLLATE "C" NOT NULL,
  commitment     TEXT COLLATE "C" NOT NULL,
  text           TEXT COLLATE "C" NOT NULL,
  sealed_contact TEXT COLLATE "C" NOT NULL,
  filed          TEXT COLLATE "C" NOT NULL,
  answer         TEXT COLLATE "C",
  answered_on    TEXT COLLATE "C",
  answered_by    TEXT COLLATE "C",
  reason         TEXT COLLATE "C" NOT NULL DEFAULT 'other'
);
CREATE INDEX complaint_ticket ON complaint(ticket);
CREATE INDEX complaint_office ON complaint(office, filed);

CREATE TABLE rating(
  event_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES event(id),
  office     TEXT COLLATE "C" NOT NULL,
  commitment TEXT COLLATE "C" NOT NULL,
  complaint  TEXT COLLATE "C" NOT NULL,
  score      BIGINT NOT NULL,
  date       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX rating_complaint ON rating(complaint);

CREATE TABLE set_aside(
  id              TEXT COLLATE "C" PRIMARY KEY,
  office          TEXT COLLATE "C" NOT NULL,
  device          TEXT COLLATE "C" NOT NULL,
  seq             BIGINT NOT NULL,
  hlc             BIGINT NOT NULL,
  actor           TEXT COLLATE "C" NOT NULL,
  type            TEXT COLLATE "C" NOT NULL,
  payload_version BIGINT NOT NULL,
  payload         TEXT COLLATE "C" NOT NULL,
  prev_hash       TEXT COLLATE "C" NOT NULL,
  hash            TEXT COLLATE "C" NOT NULL,
  reason          TEXT COLLATE "C" NOT NULL,
  detail          TEXT COLLATE "C" NOT NULL,
  at              BIGINT NOT NULL,
  payload_bytes   BIGINT,
  UNIQUE(device, seq)
);

CREATE TABLE enrolment(
  code_hash  TEXT COLLATE "C" PRIMARY KEY,
  office     TEXT COLLATE "C" NOT NULL,
  expires_at BIGINT NOT NULL,
  used_by    TEXT COLLATE "C",
  used_at    BIGINT
);

CREATE TABLE clerk(
  office   TEXT COLLATE "C" NOT NULL,
  id       TEXT COLLATE "C" NOT NULL,
  name     TEXT COLLATE "C" NOT NULL,
  role     TEXT COLLATE "C" NOT NULL,
  pin_hash TEXT COLLATE "C" NOT NULL,
  disabled BIGINT NOT NULL,
  PRIMARY KEY(office, id)
);

CREATE TABLE revision(
  event_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES event(id),
  commitment  TEXT COLLATE "C" NOT NULL,
  office      TEXT COLLATE "C" NOT NULL,
  actor       TEXT COLLATE "C" NOT NULL,
  hlc         BIGINT NOT NULL,
  date        TEXT COLLATE "C" NOT NULL,
  reason      TEXT COLLATE "C" NOT NULL,
  title       TEXT COLLATE "C" NOT NULL,
  detail      TEXT COLLATE "C" NOT NULL,
  department  TEXT COLLATE "C" NOT NULL,
  responsible TEXT COLLATE "C" NOT NULL,
  deadline    TEXT COLLATE "C",
  time_limit  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX revision_commitment ON revision(commitment, hlc);

CREATE TABLE complaint_step(
  event_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES event(id),
  complaint TEXT COLLATE "C" NOT NULL,
  office    TEXT COLLATE "C" NOT NULL,
  actor     TEXT COLLATE "C" NOT NULL,
  hlc       BIGINT NOT NULL,
  step      TEXT COLLATE "C" NOT NULL,
  note      TEXT COLLATE "C" NOT NULL,
  date      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX complaint_step_complaint ON complaint_step(complaint, hlc);

CREATE TABLE breach(
  id         TEXT COLLATE "C" PRIMARY KEY,
  office     TEXT COLLATE "C" NOT NULL,
  commitment TEXT COLLATE "C" NOT NULL,
  actor      TEXT COLLATE "C" NOT NULL,
  note       TEXT COLLATE "C" NOT NULL,
  confirmed  TEXT COLLATE "C" NOT NULL,
  object_by  TEXT COLLATE "C" NOT NULL,
  rectify_by TEXT COLLATE "C" NOT NULL,
  stage      TEXT COLLATE "C" NOT NULL,
  stage_date TEXT COLLATE "C" NOT NULL,
  objected   BIGINT NOT NULL
);
CREATE INDEX breach_commitment ON breach(commitment);
CREATE INDEX breach_office ON breach(office, confirmed);

CREATE TABLE breach_step(
  event_id TEXT COLLATE "C" PRIMARY KEY REFERENCES event(id),
  breach   TEXT COLLATE "C" NOT NULL,
  office   TEXT COLLATE "C" NOT NULL,
  actor    TEXT COLLATE "C" NOT NULL,
  hlc      BIGINT NOT NULL,
  step     TEXT COLLATE "C" NOT NULL,
  note     TEXT COLLATE "C" NOT NULL,
  date     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX breach_step_breach ON breach_step(breach, hlc);

-- Search: trigram indexes when pg_trgm can be had (the block is undone,
-- alone, when it cannot: search then scans).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX commitment_title_trgm ON commitment USING gin (title gin_trgm_ops);
  CREATE INDEX commitment_detail_trgm ON commitment USING gin (detail gin_trgm_ops);
  CREATE INDEX commitment_department_trgm ON commitment USING gin (department gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): search scans the commitments', SQLERRM;
END
$$;
)sql";


// v10 on PostgreSQL: the same.
constexpr std::string_view kPgV10 = R"sql(
CREATE TABLE signed_head(
  device    TEXT COLLATE "C" NOT NULL,
  seq       BIGINT NOT NULL,
  hash      TEXT COLLATE "C" NOT NULL,
  signature TEXT COLLATE "C" NOT NULL,
  receipt   TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY(device, seq)
);
INSERT INTO signed_head(device, seq, hash, signature)
  SELECT id, head_seq, head_hash, head_signature FROM device WHERE head_signature != '' AND head_seq > 0;
ALTER TABLE device ADD COLUMN up_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX device_region ON device(office) WHERE length(office) < 9;
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    // Entry i takes a database from version i to i+1: its SQLite text, and
    // its PostgreSQL text ("" for versions 1-8, which PostgreSQL databases
    // never had: they start from version 9's text, the whole schema).
    // A new version N adds one entry with both texts, as {kV10, kPgV10}.
    static const std::vector<Migration> kMigrations = {
        {kV1, ""}, {kV2, ""}, {kV3, ""}, {kV4, ""}, {kV5, ""}, {kV6, ""}, {kV7, ""}, {kV8, ""}, {kV9, kPgV9}, {kV10, kPgV10},
    };
    return kMigrations;
}

}  // namespace shouxin::schema
