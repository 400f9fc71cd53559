import polars as pl
import pytest
from normalise_samples import sample_rows

from ppks.normalise.names import NameParts, name_key, split_name, split_name_series


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Dwi  Rina   Lestari ", ("DWI RINA LESTARI", None, "DWI RINA LESTARI", None)),
        ("H.Mahrus Fadoli", ("MAHRUS FADOLI", "H.", "MAHRUS FADOLI", None)),
        ("Hj Toemini", ("TOEMINI", "HJ.", "TOEMINI", None)),
        ("HJ. SITI", ("SITI", "HJ.", "SITI", None)),
        ("ALM. SITI ASTUTI", ("SITI ASTUTI", "ALM.", "SITI ASTUTI", None)),
        ("Almh Siti Astuti", ("SITI ASTUTI", "ALMH.", "SITI ASTUTI", None)),
        ("Ny. Siti (Alm)", ("SITI", "NY. ALM.", "SITI", None)),
        ("KH. ABDUL HAMID", ("ABDUL HAMID", "KH.", "ABDUL HAMID", None)),
        ("Bpk. Slamet", ("SLAMET", "BPK.", "SLAMET", None)),
        ("Ibu Kasmini", ("KASMINI", "IBU", "KASMINI", None)),
        ("Drs. H. Suparman, S.Pd., M.Pd.",
         ("SUPARMAN", "DRS. H. S.PD. M.PD.", "SUPARMAN", None)),
        ("Ir. Budi Santoso", ("BUDI SANTOSO", "IR.", "BUDI SANTOSO", None)),
        ("dr. Rina", ("RINA", "DR.", "RINA", None)),
        ("Siti Aminah S.Ag", ("SITI AMINAH", "S.AG.", "SITI AMINAH", None)),
        ("Siti Aminah, SE", ("SITI AMINAH", "S.E.", "SITI AMINAH", None)),
        ("Siti Aminah, S.H.", ("SITI AMINAH", "S.H.", "SITI AMINAH", None)),
        ("Rina Amd", ("RINA", "A.MD.", "RINA", None)),
        ("Budi Se", ("BUDI SE", None, "BUDI SE", None)),  # bare 'SE' may be a name
        ("SUKARTI AMINAH BINTI SANUSI",
         ("SUKARTI AMINAH BINTI SANUSI", None, "SUKARTI AMINAH", "SANUSI")),
        ("Arif Prasetyo bin Slamet", ("ARIF PRASETYO BIN SLAMET", None, "ARIF PRASETYO", "SLAMET")),
        ("MOCH. SAPUTRA BIN SUPARMAN",
         ("MOCH. SAPUTRA BIN SUPARMAN", None, "MOCH. SAPUTRA", "SUPARMAN")),
        ("H. Abdul Hamid bin H. Ilyas",
         ("ABDUL HAMID BIN H. ILYAS", "H.", "ABDUL HAMID", "H. ILYAS")),
        ("ABDUL HAMID BIN", ("ABDUL HAMID BIN", None, "ABDUL HAMID", None)),
        ("SITTI SA'DIYAH", ("SITTI SA'DIYAH", None, "SITTI SA'DIYAH", None)),
        ("Siti-Aisyah", ("SITI AISYAH", None, "SITI AISYAH", None)),
        ("=SUPARMAN", ("SUPARMAN", None, "SUPARMAN", None)),
        ("Binti", ("BINTI", None, "BINTI", None)),
        ("H", ("H", None, "H", None)),
    ],
)  # fmt: skip
def test_split_name(raw, expected):
    assert split_name(raw) == NameParts(*expected)


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "?", "123", "-", "0.0", "JUMLAH", "Jumlah : 25", "TOTAL", "#N/A", "#REF!",
     "tidak diketahui", "N/A"],
)  # fmt: skip
def test_no_letters_no_name(raw):
    assert split_name(raw) == NameParts(None, None, None, None)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MOCH. SAPUTRA", "M. SAPUTRA"),
        ("MOHAMAD MUNIR", "MUHAMMAD MUNIR"),
        ("MOCHAMMAD MUNIR", "MUCH. MUNIR"),
        ("MOH. SUCIPTO", "MUH SUCIPTO"),
        ("MOHAMMED ALI", "MHD ALI"),
        ("MOEHAMMAD SHOLEH", "MUHAMMAD SHOLEH"),
        ("ACHMAD HADI", "AHMAD HADI"),
        ("ACH. HADI", "AKHMAD HADI"),
        ("AHMAT MULYADI", "AKHMAD MULYADI"),
        ("ABD. JUHDI", "ABDUL JUHDI"),
        ("SOEGIONO", "SUGIONO"),
        ("DARMADJI SOESILO", "DARMAJI SUSILO"),
        ("TJIPTO", "CIPTO"),
        ("SJAMSUDIN", "SYAMSUDIN"),
        ("CHOIRUL ANAM", "KHOIRUL ANAM"),
        ("RACHMAT", "RAHMAT"),
        ("SITTI SA'DIYAH", "SITI SADIYAH"),
        ("RIZKY", "RIZKI"),
    ],
)
def test_name_key_unifies_spellings(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("AHMAD HADI", "MUHAMMAD HADI"), ("SITI AMINAH", "SITI AMINAH SARI"), ("JOKO", "YOKO")],
)
def test_name_key_keeps_different_names_apart(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_shape():
    assert name_key("Moch. Saputra") == ("MUHAMMAD SAPUTRA", ("MUHAMMAD", "SAPUTRA"))
    assert name_key(None) == (None, ())
    assert name_key("123") == (None, ())


def test_series():
    out = split_name_series(pl.Series(["H. Moch. Saputra bin Slamet", None, "?", "M. SAPUTRA"]))
    assert out.columns == ["nama", "gelar", "inti", "nasab", "nama_key"]
    assert out.row(0) == ("MOCH. SAPUTRA BIN SLAMET", "H.", "MOCH. SAPUTRA", "SLAMET",
                          "MUHAMMAD SAPUTRA")  # fmt: skip
    assert out.row(1) == (None,) * 5
    assert out.row(2) == (None,) * 5
    assert out["nama_key"][3] == "MUHAMMAD SAPUTRA"


def _key(raw: str | None) -> str | None:
    return name_key(split_name(raw).inti)[0]


def test_sample_truth():
    rows = sample_rows().filter(pl.col("expected") == "load")
    clean = rows.filter(~pl.col("noise").list.contains("name_typo"))
    same = [_key(w) == _key(t) for w, t in zip(clean["w_nama"], clean["nama"], strict=True)]
    assert len(same) > 300
    assert sum(same) / len(same) >= 0.98
    # The written titles and bin/binti tails are recognised as such.
    titled = rows.filter(pl.col("noise").list.contains("name_title"))
    assert all(split_name(w).gelar for w in titled["w_nama"])
    with_bin = rows.filter(pl.col("noise").list.contains("name_bin"))
    assert all(split_name(w).nasab for w in with_bin["w_nama"])


def test_sample_truth_rows_without_a_name():
    rows = sample_rows().filter(pl.col("noise").list.contains("reject_no_name"))
    assert rows.height >= 1
    assert all(split_name(w).nama is None for w in rows["w_nama"])
