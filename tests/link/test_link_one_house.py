"""Issue #10: one house weighed as one house. Each case failed at 00e9d3e.

Rows without a NIK and a birth date have a name, a desa, an address with its RT/RW.
The model weighed the desa and the address as two independent comparisons (the
product of their u is hundreds of times smaller than the share of random pairs in
one RT) and capped each (desa 6, address 4 bits) against that double count, which
left one house under-counted on the held-out world (10 bits where its pairs say
about 12.8) and another address in the same desa over-counted (+4 where they say
-6). A house is now one level of `wilayah`, its u measured on random pairs and its
m by EM.
"""

from __future__ import annotations

from test_link_evidence import PERSON, levels, weight

from ppks.link import model

HOUSE = {"alamat": "Dsn. Krajan", "rt": "002", "rw": "001"}


def test_one_house_is_one_level_of_the_place():
    got = levels({**PERSON, **HOUSE}, {**PERSON, **HOUSE}, ("wilayah",))
    assert got["wilayah"] == "desa_address_rt_rw"
    # No second comparison multiplies the desa's u by the address's.
    assert "alamat" not in {c["output_column_name"] for c in model.COMPARISONS}


def test_an_address_left_out_is_not_another_address():
    unknown = levels({**PERSON, **HOUSE}, {**PERSON, "alamat": None}, ("wilayah",))
    other = levels({**PERSON, **HOUSE}, {**PERSON, "alamat": "Jl. Mawar"}, ("wilayah",))
    assert unknown["wilayah"] == "desa_address_unknown"
    assert other["wilayah"] == "desa_other_address"
    assert weight("wilayah", "desa_address_unknown") > weight("wilayah", "desa_other_address")


def test_the_desa_unknown_on_one_row_keeps_the_house():
    # SOURCES.md: desa names misspelled or left blank; the kecamatan, address and
    # RT/RW still agree.
    got = levels({**PERSON, **HOUSE}, {**PERSON, **HOUSE, "kode_desa": None}, ("wilayah",))
    assert got["wilayah"] == "kecamatan_address_rt_rw"
    assert weight("wilayah", "kecamatan_address_rt_rw") > weight("wilayah", "kecamatan")
