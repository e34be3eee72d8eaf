-- 0007_search: the terms GET /api/v1/iguides?search= finds an iGUIDE by (docs/api.md, "Search").
-- A term is a folded word (lower-case ASCII letters and digits, core/search_terms.h) of the
-- iGUIDE's fullAddress, postal code, alias or id. Rows are written in the transaction that writes
-- the iGUIDE and go with it by cascade. The primary key serves the prefix ranges of a query
-- (term >= w AND term < w || '~'); the second index serves the per-iGUIDE checks of the other
-- words and the cascade. Existing iGUIDEs are filled in by the C step that runs after this file
-- (store_search_backfill), since the folding is C's, not SQL's.

CREATE TABLE iguide_search_terms (
    term       TEXT NOT NULL,
    iguide_seq INTEGER NOT NULL REFERENCES iguides(seq) ON DELETE CASCADE,
    PRIMARY KEY (term, iguide_seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX iguide_search_terms_by_iguide ON iguide_search_terms(iguide_seq, term);
