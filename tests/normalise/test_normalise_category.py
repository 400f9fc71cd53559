import polars as pl
import pytest
from normalise_samples import sample_rows

from ppks.normalise.category import CategoryResolver
from ppks.reference import categories


@pytest.fixture(scope="module")
def resolver() -> CategoryResolver:
    return CategoryResolver()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PPKS-08", "PPKS-08"), ("PPKS 08", "PPKS-08"), ("ppks8", "PPKS-08"), ("PPKS-8", "PPKS-08"),
        (" PPKS25", "PPKS-25"), ("ppks_07", "PPKS-07"), ("PMKS-24", "PPKS-24"),
        ("PPKS-08 Lansia", "PPKS-08"),
        ("Lanjut Usia Terlantar", "PPKS-08"), ("LANJUT  USIA TERLANTAR", "PPKS-08"),
        ("lanjut usia", "PPKS-08"), ("Lansia", "PPKS-08"), ("LUT", "PPKS-08"), ("lut", "PPKS-08"),
        ("AT", "PPKS-02"), ("Anak Terlantar", "PPKS-02"), ("Anak Balita Terlantar", "PPKS-01"),
        ("ODHA", "PPKS-16"), ("HIV/AIDS", "PPKS-16"), ("Orang dengan HIV / AIDS", "PPKS-16"),
        ("difabel", "PPKS-09"), ("penyandang cacat", "PPKS-09"),
        ("Korban Bencana Alam", "PPKS-21"), ("Korban Bencana Sosial", "PPKS-22"),
        ("bencana alam", "PPKS-21"), ("KBA", "PPKS-21"), ("KBS", "PPKS-22"),
        ("korban kekerasan", "PPKS-19"), ("anak korban kekerasan", "PPKS-06"),
        ("Anak Korban Tindak Kekerasan", "PPKS-06"),
        ("miskin", "PPKS-24"), ("Keluarga Miskin", "PPKS-24"), ("FM", "PPKS-24"),
        ("keluarga bermasalah", "PPKS-25"), ("eks napi", "PPKS-15"),
        ("8. Lanjut Usia Terlantar", "PPKS-08"),
    ],
)  # fmt: skip
def test_exact_forms(resolver, text, code):
    assert resolver.resolve(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Anak Balita Terrantar", "PPKS-01"),
        ("anak teerlantar", "PPKS-02"),
        ("LAJNUT USIA TERLANTAR", "PPKS-08"),
        ("Bekas Warga Bynaan Lembaga Pemasyarakatan", "PPKS-15"),
        ("PEKERJA MIGRAN BERMASALAH SOSIALL", "PPKS-20"),
        ("Pekerja Migran Bermasalha Sosial", "PPKS-20"),
        ("perempan rawan sosial ekonomi", "PPKS-23"),
        ("Korban Bencana Alm", "PPKS-21"),
        ("korban bencana sosal", "PPKS-22"),
        ("Gelandanagn", "PPKS-11"),
    ],
)
def test_typos(resolver, text, code):
    assert resolver.resolve(text) == code


@pytest.mark.parametrize(
    "text",
    [None, "", "  ", "-", "???", "Lainnya", "Lain lain", "lain-lain", "PPKS-27", "PPKS-00",
     "Korban", "Anak", "Korban Bencana", "XX", "ABC"],
)  # fmt: skip
def test_unresolvable(resolver, text):
    assert resolver.resolve(text) is None


def test_every_reference_spelling_resolves_to_itself(resolver):
    for row in categories().iter_rows(named=True):
        spellings = [row["kode"], row["nama"], row["singkatan"], *row["alias"].split("|")]
        for spelling in spellings:
            assert resolver.resolve(spelling) == row["kode"], spelling
            assert resolver.resolve(spelling.upper()) == row["kode"], spelling
            assert resolver.resolve(spelling.lower()) == row["kode"], spelling


def test_close_names_never_cross(resolver):
    # A one-letter slip in either direction must not reach the other category.
    for text in ("Korban Bencana Alam", "KORBAN BENCANA ALAM", "korban bencana alamm"):
        assert resolver.resolve(text) == "PPKS-21"
    for text in ("Korban Bencana Sosial", "korban bencana sosiall"):
        assert resolver.resolve(text) == "PPKS-22"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lansia", "PPKS-08"), ("Lansia Terlantar", "PPKS-08"), ("LUT", "PPKS-08"),
        ("Disabilitas", "PPKS-09"), ("Difabel", "PPKS-09"), ("Fakir Miskin", "PPKS-24"),
        ("Keluarga Miskin", "PPKS-24"), ("FM", "PPKS-24"), ("Anak Terlantar", "PPKS-02"),
        ("Balita Terlantar", "PPKS-01"), ("ODHA", "PPKS-16"), ("Bencana Alam", "PPKS-21"),
        ("Bencana Sosial", "PPKS-22"), ("KTK", "PPKS-19"), ("Data Lansia", "PPKS-08"),
        ("Anak yang Menjadi Korban Tindak", "PPKS-06"),  # cut at 31 characters
    ],
)  # fmt: skip
def test_sheet_names(resolver, name, code):
    assert resolver.resolve_sheet_name(name) == code


@pytest.mark.parametrize(
    "name",
    [None, "Tambahan", "Sheet1", "Sheet 2", "DATA", "Data", "Rekap PPKS", "REKAP", "Lembar1",
     "Lain-lain", "2026"],
)  # fmt: skip
def test_sheet_names_without_category(resolver, name):
    assert resolver.resolve_sheet_name(name) is None


def test_series(resolver):
    out = resolver.resolve_series(pl.Series(["PPKS-08", None, "ODHA", "-", "PPKS-08"]))
    assert out.name == "ppks_kode"
    assert out.to_list() == ["PPKS-08", None, "PPKS-16", None, "PPKS-08"]


def test_sample_truth(resolver):
    rows = sample_rows().filter(pl.col("w_ppks").is_not_null())
    got = resolver.resolve_series(rows["w_ppks"])
    category_reject = rows["reject_kind"].fill_null("").str.contains("category")
    resolvable = rows.filter(~category_reject)
    assert resolvable.height > 300
    assert (got.filter(~category_reject) == resolvable["ppks_kode"]).all()
    assert got.filter(category_reject).is_null().all()


def test_sample_truth_sheet_names(resolver):
    rows = sample_rows().filter(pl.col("source") == "psm", pl.col("w_ppks").is_null())
    assert rows.height > 20
    for sheet, code, kind in rows.select("sheet", "ppks_kode", "reject_kind").iter_rows():
        expected = None if "category" in (kind or "") else code
        assert resolver.resolve_sheet_name(sheet) == expected, sheet
