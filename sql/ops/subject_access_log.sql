-- Who looked up a person with `ppks subject`, when, and what they asked for
-- (UU PDP No. 27/2022: accountability for access to personal data). Appended
-- by every request, never updated; the answers themselves are not stored.
CREATE TABLE IF NOT EXISTS subject_access_log (
    accessed_at   TIMESTAMP NOT NULL,
    requested_by  VARCHAR NOT NULL,
    os_user       VARCHAR NOT NULL,
    host          VARCHAR,
    query         VARCHAR NOT NULL,
    exported_to   VARCHAR,
    found         BOOLEAN NOT NULL
);
COMMENT ON TABLE subject_access_log IS 'One row per subject access request made with ppks subject: who asked, when, and for whom (the query, not the answer). Full warehouse only.';
COMMENT ON COLUMN subject_access_log.accessed_at IS 'When the request was answered (local time of the machine).';
COMMENT ON COLUMN subject_access_log.requested_by IS 'Who asked: --requested-by, else the operating-system user.';
COMMENT ON COLUMN subject_access_log.os_user IS 'Operating-system user that ran the command.';
COMMENT ON COLUMN subject_access_log.host IS 'Machine the command ran on.';
COMMENT ON COLUMN subject_access_log.query IS 'The query as JSON: {"nik": ...} or {"nama": ..., "tanggal_lahir": ...}.';
COMMENT ON COLUMN subject_access_log.exported_to IS 'The workbook written with --export, if any (absolute path).';
COMMENT ON COLUMN subject_access_log.found IS 'Whether the warehouse held any record matching the query.';
