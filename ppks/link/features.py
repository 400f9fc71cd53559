"""Linkage features: one row per loaded data row, prepared for Indonesian data.

Everything here is a pure function of `source_record`; the rows are read in
record_id order so that the same warehouse always gives the same features.

Names are compared on their key (`ppks.normalise.names.name_key`: old spelling
modernised, Muhammad/Ahmad/Abdul variants made one) of the name without the
bin/binti part; the bin/binti part (nasab) is compared on its own. Tokens that
many people carry (Siti, Muhammad, Sri, Nur, ...) are *common*: the name core is
the name without them, and the rarest token is the one that says most.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from ppks.link.cluster import GUESS_SPREAD, TITLES_AFTER
from ppks.normalise.names import name_key, written_words

# Tokens that say little about who someone is, whatever their frequency in one
# night's data (small inboxes cannot measure it). Keys, as `name_key` writes them.
COMMON_TOKENS = frozenset(
    {
        "MUHAMMAD", "AHMAD", "ABDUL", "ABD", "SITI", "SRI", "NUR", "NURUL", "NOR",
        "DWI", "EKA", "TRI", "DEWI", "PUTRI", "PUTRA", "ANAK", "BAYI", "MOH",
        "NI", "I", "AL", "EL", "BINTI", "BIN", "UMI", "ST",
    }
)  # fmt: skip
# A token carried by at least this share of rows (and this many rows) is common too.
COMMON_SHARE = 0.01
COMMON_MIN_ROWS = 30
_ADDRESS_STOP = frozenset(
    {"DSN", "DUSUN", "JL", "JLN", "JALAN", "GG", "GANG", "NO", "RT", "RW", "DS", "DESA", "KEL"}
)

SOURCE_SQL = """
SELECT record_id, source, source_file, file_sha256, sheet, row_number, person_id,
       nama_inti, nama, nasab, nik, kk, jenis_kelamin, tanggal_lahir, tahun_lahir,
       alamat, rt, rw, kode_kabupaten, kode_kecamatan, kode_desa, flags,
       tempat_lahir, nik_raw, ppks_kode
FROM source_record
{where}
ORDER BY record_id
"""

# Run on the linkage connection over `raw_rows` (SOURCE_SQL plus name columns).
FEATURES_SQL = """
CREATE OR REPLACE TABLE link_input AS
WITH base AS (
    SELECT
        r.*,
        list_contains(flags, 'nik_excel_damaged') AS nik_damaged,
        list_contains(flags, 'kk_excel_damaged') AS kk_damaged,
        list_contains(flags, 'dob_placeholder') AS dob_placeholder,
        list_contains(flags, 'dob_from_age') AS year_approx,
        list_contains(flags, 'dob_year_only') AS year_only,
        -- SOURCES.md names 01-01-1950 and 31-12-1945 as placeholders for unknown
        -- dates: their year says nothing. Other placeholders (01-07-YYYY, 01-01-YYYY)
        -- keep a year that someone estimated from the person's age.
        list_contains(flags, 'dob_placeholder')
            AND tanggal_lahir IN (DATE '1950-01-01', DATE '1945-12-31') AS dob_junk,
        list_contains(flags, 'nik_gender_mismatch') AS nik_gender_mismatch,
        list_contains(flags, 'nik_dob_mismatch') AS nik_dob_mismatch,
        -- A NIK of 15 or 17 digits (SOURCES.md) is NULL in the warehouse; linkage
        -- keeps its digits as partial evidence (one digit dropped or doubled).
        CASE WHEN nik IS NULL
            AND length(regexp_replace(coalesce(nik_raw, ''), '[^0-9]', '', 'g')) IN (15, 17)
            AND regexp_replace(nik_raw, '[^0-9 .''-]', '', 'g') = nik_raw
            THEN regexp_replace(nik_raw, '[^0-9]', '', 'g') END AS nik_partial,
        CASE WHEN nik IS NOT NULL AND NOT list_contains(flags, 'nik_invalid_date') THEN
            CAST(substr(nik, 7, 2) AS INTEGER) END AS nik_dd
    FROM raw_rows AS r
),
decoded AS (
    SELECT
        *,
        CASE WHEN nik_dd IS NOT NULL THEN CASE WHEN nik_dd > 40 THEN 'P' ELSE 'L' END END
            AS nik_gender,
        -- A placeholder or an age disagrees with the date a NIK encodes only when the
        -- year is further off than its tolerance (the head's NIK written for a child);
        -- a different gender, or a clearly written full date, disagrees outright.
        -- A junk placeholder (01-01-1950) says nothing, so it cannot disagree.
        coalesce(nik_gender_mismatch, false) OR (coalesce(nik_dob_mismatch, false)
            AND NOT coalesce(dob_junk, false) AND (
            NOT coalesce(dob_placeholder, false) AND NOT coalesce(year_approx, false)
            OR nik_dd IS NULL OR tahun_lahir IS NULL
            OR abs(tahun_lahir - (CASE WHEN 2000 + CAST(substr(nik, 11, 2) AS INTEGER) <= $ref_year
                THEN 2000 ELSE 1900 END + CAST(substr(nik, 11, 2) AS INTEGER)))
                > CASE WHEN coalesce(dob_placeholder, false) THEN 3 ELSE 1 END
        )) AS nik_disagrees,
        CASE WHEN nik_dd IS NOT NULL THEN CAST(try_strptime(
            lpad(CAST(CASE WHEN nik_dd > 40 THEN nik_dd - 40 ELSE nik_dd END AS VARCHAR), 2, '0')
            || substr(nik, 9, 2)
            || CAST(CASE WHEN 2000 + CAST(substr(nik, 11, 2) AS INTEGER) <= $ref_year
                THEN 2000 ELSE 1900 END + CAST(substr(nik, 11, 2) AS INTEGER) AS VARCHAR),
            '%d%m%Y') AS DATE) END AS nik_dob
    FROM base
),
fitted AS (
    -- The NIK's date stands in when the row has no full date of its own and the
    -- NIK fits what the row says: within a year of an age, within the estimate of
    -- a placeholder year (YEAR_TOLERANCE in model.py), any year for a junk placeholder.
    SELECT
        *,
        coalesce(
            nik_dob IS NOT NULL AND NOT coalesce(nik_disagrees, false)
            AND (tanggal_lahir IS NULL OR coalesce(dob_placeholder, false))
            AND (tahun_lahir IS NULL OR coalesce(dob_junk, false)
                OR abs(year(nik_dob) - tahun_lahir)
                    <= CASE WHEN coalesce(dob_placeholder, false) THEN 3 ELSE 1 END),
            false
        ) AS nik_fits
    FROM decoded
),
household AS (
    -- Household co-listing (SOURCES.md: "No. KK: everyone on one card shares it";
    -- PSM ALAMAT "Dsn. Krajan RT 002 RW 001"; TKSK Alamat, RT, RW): a reporter lists
    -- the members of one family together, in one sheet, under one KK or one
    -- address and RT/RW. The household is the rows of the same file and sheet that
    -- share the KK (first 15 digits: Excel damage), or, without a KK, the desa,
    -- address and RT/RW.
    SELECT
        record_id, source_file, sheet, name_key,
        string_split(name_core, ' ') AS core_tokens,
        CASE
            WHEN kk IS NOT NULL THEN 'kk:' || substr(kk, 1, 15)
            WHEN address_tokens IS NOT NULL AND kode_desa IS NOT NULL
                AND nullif(ltrim(coalesce(rt, ''), '0'), '') IS NOT NULL
                AND nullif(ltrim(coalesce(rw, ''), '0'), '') IS NOT NULL
                THEN 'rt:' || kode_desa || '/' || ltrim(rt, '0') || '/' || ltrim(rw, '0')
                    || '/' || array_to_string(address_tokens, ' ')
        END AS household_key
    FROM fitted
),
members AS (
    -- The other members' uncommon name tokens (another name key: an SLRT export
    -- repeats one person per visit, who is not their own family). A group of more
    -- than $household_max names (the row's own and the others) is a
    -- neighbourhood, not a family card.
    SELECT a.record_id,
        list_sort(list_distinct(flatten(list(b.core_tokens)))) AS household_tokens
    FROM household AS a
    JOIN household AS b
        ON a.source_file = b.source_file AND a.sheet IS NOT DISTINCT FROM b.sheet
        AND a.household_key = b.household_key AND a.name_key <> b.name_key
    WHERE b.core_tokens IS NOT NULL
    GROUP BY a.record_id
    HAVING count(DISTINCT b.name_key) < $household_max
)
SELECT
    record_id AS unique_id,
    source_file, sheet, row_number, person_id AS previous_person_id,
    name_key, name_tokens, name_core, name_rarest, nasab_key,
    nullif(split_part(name_key, ' ', -1), '') AS name_last,
    -- The name's words as written, where the key spells any of them otherwise: the
    -- conflict rules read a slip in them too (cluster._close_as_written).
    name_spelled,
    nik,
    nik_partial,
    substr(nik, 1, 15) AS nik15,
    coalesce(nik_damaged, false) AS nik_damaged,
    coalesce(nik_disagrees, false) AS nik_disagrees,
    substr(coalesce(nik, nik_partial), 1, 8) AS nik_head,
    substr(coalesce(nik, nik_partial), 9, 8) AS nik_tail,
    kk,
    substr(kk, 1, 15) AS kk15,
    coalesce(kk_damaged, false) AS kk_damaged,
    jenis_kelamin AS gender_written,
    coalesce(jenis_kelamin, CASE WHEN NOT coalesce(nik_disagrees, false) THEN nik_gender END)
        AS gender,
    -- The row's full date; without one (or with a placeholder), the date the NIK
    -- encodes when it fits what the row knows of the year.
    CASE
        WHEN tanggal_lahir IS NOT NULL AND NOT coalesce(dob_placeholder, false) THEN tanggal_lahir
        WHEN nik_fits THEN nik_dob
        ELSE tanggal_lahir
    END AS dob,
    tanggal_lahir AS dob_written,
    CASE WHEN NOT coalesce(dob_junk, false) THEN tahun_lahir END AS year_written,
    -- The written date is a placeholder (whatever the NIK says).
    coalesce(dob_placeholder, false) AS dob_placeholder,
    -- What is known of the birth date decides how it is compared (model.py).
    CASE
        WHEN tanggal_lahir IS NOT NULL AND NOT coalesce(dob_placeholder, false) THEN 'full'
        WHEN nik_fits THEN 'full'
        WHEN coalesce(dob_junk, false) THEN NULL
        WHEN coalesce(dob_placeholder, false) THEN 'estimated'
        WHEN coalesce(year_approx, false) THEN 'age'
        WHEN tahun_lahir IS NOT NULL THEN 'year'
    END AS dob_kind,
    CASE
        WHEN nik_fits THEN year(nik_dob)
        WHEN coalesce(dob_junk, false) THEN NULL
        ELSE tahun_lahir
    END AS birth_year,
    coalesce(year_approx, false) AS year_approx,
    -- Years by which two reports of one person may differ: an age is counted at
    -- the report month (one year either way), an estimated year is a guess at an
    -- old person's age that each report may make again.
    CASE
        WHEN nik_fits OR tanggal_lahir IS NOT NULL AND NOT coalesce(dob_placeholder, false) THEN 0
        WHEN coalesce(dob_placeholder, false) THEN 3
        WHEN coalesce(year_approx, false) THEN 1
        ELSE 0
    END AS year_tolerance,
    -- The same, for what the row itself wrote (the conflict rules ignore NIK dates).
    -- An adult's year without a day (an estimate, an age, a year alone) is the
    -- reporter's guess for someone who does not know their birth date (field
    -- practice: the elderly, people without papers), made again at each report:
    -- guesses of one person lie years apart (cluster.GUESS_SPREAD = 1 + this).
    -- A child's year is known from recent papers: its own tolerance only.
    CASE
        WHEN (tanggal_lahir IS NULL OR coalesce(dob_placeholder, false))
            AND NOT coalesce(dob_junk, false) AND tahun_lahir <= $ref_year - $adult_age
            THEN $guess_spread - 1
        WHEN coalesce(dob_placeholder, false) THEN 3
        WHEN coalesce(year_approx, false) THEN 1
        ELSE 0
    END AS written_tolerance,
    kode_kabupaten, kode_kecamatan, kode_desa,
    address_tokens,
    nullif(concat_ws('/', nullif(ltrim(rt, '0'), ''), nullif(ltrim(rw, '0'), '')), '') AS rt_rw,
    -- No fixed home: the address names where the person was found (a terminal, a
    -- market's eaves, under a bridge) or says "tidak tetap", with no RT/RW. Field
    -- practice: a homeless person is reported wherever the TKSK or the outreach team
    -- finds them, so the address is a public place, not a house (NO_FIXED_HOME_WORDS).
    -- Or no address at all (blank, `-`) and no RT/RW on a row reported as Gelandangan,
    -- the category whose definition is having no fixed home (NO_HOME_CATEGORIES).
    coalesce(nullif(ltrim(coalesce(rt, ''), '0'), '') IS NULL
        AND nullif(ltrim(coalesce(rw, ''), '0'), '') IS NULL
        AND (list_has_any(address_tokens, $no_fixed_home_words)
            OR address_tokens IS NULL AND list_contains($no_home_categories, ppks_kode)),
        false) AS no_fixed_home,
    -- Where the person was born (TKSK Tempat Lahir, PSM "Tempat, tanggal lahir").
    nullif(regexp_replace(upper(coalesce(tempat_lahir, '')), '[^A-Z]', '', 'g'), '')
        AS tempat_lahir,
    -- The PPKS category the row reports the person under (SOURCES.md, Jenis PPKS).
    ppks_kode,
    nullif(household_tokens, []) AS household_tokens,
    -- A TKSK monthly report lists the persons its TKSK handled that month, one numbered
    -- row each (SOURCES.md, "Laporan Bulanan TKSK": one workbook per kecamatan per
    -- month, `No`), so two rows of one report are two people (cluster.conflict,
    -- `one_report`). A PSM village list is kept and added to over the years and an
    -- SLRT export repeats a person per visit (SOURCES.md): neither is such a list. The
    -- report is the file as it arrived (its content hash: a corrected file sent under
    -- the same name is another report) and its sheet.
    CASE WHEN source = 'tksk'
        THEN concat_ws('/', left(file_sha256, 16), source_file, sheet) END AS report_list
FROM fitted
LEFT JOIN members USING (record_id)
ORDER BY record_id
"""
# Years of age from which a year without a day is a guess (features above).
ADULT_AGE = 18
# Words of an address that is a place where a homeless person was found, not a house
# (field practice: gelandangan and pengemis are recorded at the terminal, the station,
# the market's eaves, under a bridge, or with "tidak tetap", no fixed address). Read only
# on a row without RT/RW: a house in a street named after a market or a bridge has one.
NO_FIXED_HOME_WORDS = (
    "TERMINAL", "STASIUN", "EMPERAN", "KOLONG", "JEMBATAN", "PASAR", "PELABUHAN",
    "JALANAN", "TETAP",
)  # fmt: skip
# The PPKS category whose definition is having no fixed home: Gelandangan (PPKS-11;
# Permensos 8/2012, shared/reference/ppks_categories.csv: people without a fixed dwelling
# who live in public places). A row reported under it with no address and no RT/RW has
# no home to write (field practice: the TKSK writes `-`). Pengemis and pemulung are not
# homeless by definition (many live in a house), so a blank address says nothing there.
NO_HOME_CATEGORIES = ("PPKS-11",)
# A family card lists a handful of people; more names under one key in one sheet
# are a neighbourhood (one RT) or a care home, whose co-listing says nothing.
HOUSEHOLD_MAX = 8


def _address_tokens(alamat: str | None) -> list[str] | None:
    if not alamat:
        return None
    words = "".join(c if c.isalnum() else " " for c in alamat.upper()).split()
    tokens = sorted({w for w in words if w not in _ADDRESS_STOP and not w.isdigit()})
    return tokens or None


def _common_from_counts(counts: Mapping[str, int], rows: int) -> frozenset[str]:
    """The fixed common tokens plus those carried by >= 1% of the rows (and >= 30 rows)."""
    floor = max(COMMON_MIN_ROWS, COMMON_SHARE * max(rows, 1))
    return COMMON_TOKENS | frozenset(t for t, n in counts.items() if n >= floor)


def _name_parts(value: str | None) -> tuple[str | None, list[str] | None, list[str] | None]:
    """The key, its distinct tokens, and the words as written where the key spells any of
    them otherwise (None where the key is the name as written, most names)."""
    key, tokens = name_key(value)
    written = written_words(value) if key is not None else []
    # A pilgrim's title written after the name (TUMINI HJ., WULAN HJ.; SOURCES.md: names
    # "with titles (`H.`, `Hj.`, ...)") is no word of the name: split_name takes a title
    # off the front only, and left there it made WULAN HJ and WULAN two names to the
    # model (a held name, the review band) where the clustering read them as one
    # (cluster.TITLES_AFTER). The words and the key's tokens are one per word.
    while len(written) > 1 and written[-1] in TITLES_AFTER:
        written, tokens = written[:-1], tokens[:-1]
        key = " ".join(tokens)
    spelled = written if written != list(tokens) else None
    return key, (sorted(set(tokens)) or None), spelled


def name_columns(
    frame: pl.DataFrame,
    *,
    common: frozenset[str] | None = None,
    token_counts: Mapping[str, int] | None = None,
) -> tuple[pl.DataFrame, frozenset[str]]:
    """Add name_key, name_tokens, name_spelled, name_core, name_rarest, nasab_key, address_tokens.

    Python runs once per distinct name; counting and joining is done by Polars.
    `common` and `token_counts` come from the stored model when only a night's
    new rows are featurised: a token's rarity is then judged against every row
    ever loaded, not against the night's few. Returns the frame and the common set.
    """
    frame = frame.with_columns(pl.col("nama_inti").fill_null(pl.col("nama")).alias("_inti"))
    names = frame.select(pl.col("_inti")).unique(maintain_order=True)
    parts = [_name_parts(v) for v in names["_inti"].to_list()]
    names = names.with_columns(
        pl.Series("name_key", [p[0] for p in parts], dtype=pl.Utf8),
        pl.Series("name_tokens", [p[1] for p in parts], dtype=pl.List(pl.Utf8)),
        pl.Series("name_spelled", [p[2] for p in parts], dtype=pl.List(pl.Utf8)),
    )
    frame = frame.join(names, on="_inti", how="left", maintain_order="left", nulls_equal=True)
    exploded = frame.select("record_id", "name_tokens").explode("name_tokens").drop_nulls()
    counts_frame = exploded.group_by("name_tokens").len()
    if token_counts is not None:
        counts_frame = counts_frame.with_columns(
            pl.col("name_tokens")
            .replace_strict(dict(token_counts), default=0, return_dtype=pl.Int64)
            .add(pl.col("len"))
            .alias("len")
        )
    if common is None:
        common = _common_from_counts(dict(counts_frame.iter_rows()), frame.height)
    rarest = (
        exploded.join(counts_frame, on="name_tokens")
        .sort(["record_id", "len", "name_tokens"])
        .group_by("record_id", maintain_order=True)
        .first()
        .select("record_id", pl.col("name_tokens").alias("name_rarest"))
    )
    nasab = frame.select(pl.col("nasab")).unique().drop_nulls()
    nasab = nasab.with_columns(
        pl.Series("nasab_key", [name_key(v)[0] for v in nasab["nasab"].to_list()], dtype=pl.Utf8)
    )
    alamat = frame.select(pl.col("alamat")).unique().drop_nulls()
    alamat = alamat.with_columns(
        pl.Series(
            "address_tokens",
            [_address_tokens(a) for a in alamat["alamat"].to_list()],
            dtype=pl.List(pl.Utf8),
        )
    )
    # name_core keeps the written order of the key's tokens, without common ones.
    frame = (
        frame.join(rarest, on="record_id", how="left", maintain_order="left")
        .join(nasab, on="nasab", how="left", maintain_order="left")
        .join(alamat, on="alamat", how="left", maintain_order="left")
        .with_columns(
            pl.col("name_key")
            .str.split(" ")
            .list.eval(pl.element().filter(~pl.element().is_in(list(common))))
            .list.join(" ")
            .alias("name_core")
        )
        .with_columns(
            pl.when(pl.col("name_core") == "")
            .then(None)
            .otherwise(pl.col("name_core"))
            .alias("name_core")
        )
        .drop("_inti")
    )
    return frame, common


def build_features(
    source: duckdb.DuckDBPyConnection,
    target: duckdb.DuckDBPyConnection,
    *,
    ref_year: int,
    where: str = "",
    common: frozenset[str] | None = None,
    token_counts: Mapping[str, int] | None = None,
) -> tuple[pl.DataFrame, frozenset[str]]:
    """Read source_record rows (all, or those `where` admits) from `source`, write
    table link_input into `target`.

    Returns the features (record_id order) and the common name tokens.
    """
    frame = source.sql(SOURCE_SQL.format(where=where)).pl()
    frame, common = name_columns(frame, common=common, token_counts=token_counts)
    target.register("raw_rows", frame)
    try:
        target.execute(
            FEATURES_SQL,
            {
                "ref_year": ref_year,
                "household_max": HOUSEHOLD_MAX,
                "adult_age": ADULT_AGE,
                "guess_spread": GUESS_SPREAD,
                "no_fixed_home_words": list(NO_FIXED_HOME_WORDS),
                "no_home_categories": list(NO_HOME_CATEGORIES),
            },
        )
    finally:
        target.unregister("raw_rows")
    return target.sql("SELECT * FROM link_input ORDER BY unique_id").pl(), common
