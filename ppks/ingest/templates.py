"""What each source's header must and must not hold."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandera.polars as pa

from ppks.schemas.raw import PsmRaw, SlrtRaw, TkskRaw, required_fields


@dataclass(frozen=True)
class Template:
    source: str
    label: str
    model: type[pa.DataFrameModel]
    one_of: tuple[frozenset[str], ...]
    # Fields that belong to another template: their presence means the file
    # was put in the wrong folder, and guessing would load it wrongly.
    foreign: frozenset[str]

    @cached_property  # read for every sheet of every file
    def must_have(self) -> frozenset[str]:
        return required_fields(self.model)


TEMPLATES: dict[str, Template] = {
    "tksk": Template(
        source="tksk",
        label="Laporan Bulanan TKSK",
        model=TkskRaw,
        one_of=(frozenset({"tanggal_lahir", "umur"}),),
        foreign=frozenset({"ttl", "kecamatan", "id_layanan", "kode_wilayah"}),
    ),
    "psm": Template(
        source="psm",
        label="Data PPKS Desa (PSM)",
        model=PsmRaw,
        one_of=(),
        foreign=frozenset(
            {"bentuk_penanganan", "tanggal_penanganan", "id_layanan", "tanggal_layanan"}
        ),
    ),
    "slrt": Template(
        source="slrt",
        label="export SLRT",
        model=SlrtRaw,
        one_of=(),
        foreign=frozenset({"ttl", "bentuk_penanganan"}),
    ),
}
