"""The submission file format, as pydantic models (the single source of the JSON Schema).

These models validate what a user wrote; the engine works on the lighter runtime
objects of :mod:`kinerjalint.tree`, built from them. Keys are Indonesian, as the users
write them (FORMATS.md section 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from kinerjalint.levels import AMBIGUOUS, Level, known_aliases, normalise_phrase, parse_level

SCHEMA_VERSION = 1


def _level(value: Any) -> Level:
    level = parse_level(value)
    if level is not None:
        return level
    # Error types of their own: the message catalog words them in the user's language.
    if isinstance(value, str) and normalise_phrase(value) in AMBIGUOUS:
        raise PydanticCustomError("level_ambiguous", "level '{value}' does not say which level", {"value": value})
    raise PydanticCustomError("level_unknown", "unknown level '{value}'", {"value": value})


LevelField = Annotated[
    Level,
    BeforeValidator(_level),
    WithJsonSchema(
        {
            "type": "string",
            "description": "Level: outcome, csf, antara_utama, antara, operasional, or an alias "
            "(case-insensitive): " + ", ".join(known_aliases()),
            "examples": ["outcome", "csf", "antara_utama", "antara", "operasional"],
        }
    ),
]


def _to_text(value: Any) -> Any:
    """Ids and periods are text even when YAML reads them as numbers (``id: 1``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _to_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _year_keys(value: Any) -> Any:
    if type(value) is not dict:
        return value
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


Text = Annotated[str, BeforeValidator(_to_text)]
TextList = Annotated[list[str], BeforeValidator(_to_list)]
# A target is a number, or a notation written as text ("80-85", "2,3:1000", "2 hari", "Tersedia"):
# the tree reads the notations and the rules report the rest (IND-11), never a refused tree.
TargetValue = float | str
Target = Annotated[TargetValue | dict[str, TargetValue], BeforeValidator(_year_keys)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorModel(_Strict):
    """An indikator kinerja. A bare string is shorthand for ``{nama: ...}``."""

    nama: str = Field(description="Nama indikator, mis. 'Persentase potensi konflik yang ditangani'")
    satuan: str | None = Field(default=None, description="Satuan: %, orang, dokumen, indeks...")
    target: Target | None = Field(
        default=None, description="Target: angka, atau peta tahun -> angka ({2025: 80, 2026: 85}); "
        "rentang ('80-85') dan rasio ('1:500') juga dibaca"
    )
    baseline: TargetValue | None = None
    definisi: str | None = None
    formula: str | None = None
    sumber_data: str | None = None
    indikator_pemda: Text | None = Field(
        default=None, description="Indikator Pemda yang didukung indikator ini: id atau nama indikator sasaran Pemda")


def _indicator(value: Any) -> Any:
    return {"nama": value} if isinstance(value, str) else value


class PemetaanModel(_Strict):
    """Tahap 5: the planning component and the job performance that owns the node."""

    komponen: str | None = Field(default=None, description="Tujuan SKPD, Sasaran SKPD, Sasaran Program...")
    kode: Text | None = Field(default=None, description="Kode nomenklatur (program/kegiatan/sub kegiatan)")
    nomenklatur: str | None = Field(default=None, description="Nama nomenklatur program/kegiatan")
    pemilik: str | None = Field(default=None, description="PK JPT, PK Administrator, PK Pengawas, PK/SKP JF")
    jabatan: str | None = Field(default=None, description="Nama jabatan pemilik kinerja")


class NodeModel(_Strict):
    """One box of the tree: a condition with its indicators and children."""

    id: Text | None = Field(default=None, description="Id node; tanpa id diturunkan dari posisinya (1.2.3)")
    induk: Text | None = Field(default=None, description="Id node induk (untuk daftar datar)")
    level: LevelField
    kinerja: str = Field(default="", description="Pernyataan kinerja (kondisi), mis. 'Meningkatnya ...'")
    indikator: list[Annotated[IndicatorModel, BeforeValidator(_indicator)]] = Field(default_factory=list)
    keterangan: str | None = None
    masalah: str | None = Field(default=None, description="CSF: permasalahan yang dijawab (Tahap 2)")
    crosscutting: bool = False
    mitra: TextList = Field(default_factory=list, description="Organisasi mitra (crosscutting)")
    sasaran_pemda: Text | None = Field(
        default=None, description="Outcome (L1): sasaran Pemda yang didukung, id atau pernyataannya")
    pemetaan: PemetaanModel | None = None
    anak: list[NodeModel] = Field(default_factory=list, description="Node anak")


class NodeShellModel(NodeModel):
    """One node validated without its children: ``anak`` is kept as written (a list), and each
    child is validated on its own as the tree is built (``loaders.base.validate``). A large
    tree's whole document model is then never alive at once: it was 40-45 % of the load peak of
    a 100k-node table, and the arenas it left behind were most of the resident memory after it."""

    anak: list[Any] = Field(default_factory=list, description="Node anak")


class TableRowModel(_Strict):
    """One row of a Tahap 4 (indicator) or Tahap 5 (translation) table, as written."""

    id: Text | None = None
    induk: Text | None = None
    tahap: Text | None = Field(default=None, description="Rujukan tahapan, mis. 'tahap 3'")
    level: LevelField | None = None
    kinerja: str = ""
    indikator: str | None = None
    satuan: str | None = None
    target: Target | None = None
    keterangan: str | None = None
    komponen: str | None = None
    pk: str | None = None


class TablesModel(_Strict):
    tahap3: list[TableRowModel] = Field(default_factory=list, description="Tabel uraian Tahap 3 (kondisi antara)")
    tahap4: list[TableRowModel] = Field(default_factory=list)
    tahap5: list[TableRowModel] = Field(default_factory=list)


class Tahap1Model(_Strict):
    mandat: TextList = Field(default_factory=list)
    permasalahan: TextList = Field(default_factory=list)
    ekspektasi: TextList = Field(default_factory=list)


class WaiverModel(_Strict):
    """An accepted exception: the rule, the node, why, who approved it, until when."""

    kode: str = Field(description="Kode aturan, mis. T3-03")
    node: Text | None = Field(default=None, description="Id node; kosong berarti seluruh berkas")
    alasan: str = Field(min_length=1, description="Alasan pengecualian (wajib)")
    penyetuju: str | None = None
    tanggal: dt.date | None = None
    kedaluwarsa: dt.date | None = None


class DocumentModel(_Strict):
    """A pohon kinerja submission."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": "https://kinerjalint.id/schema/pohon-kinerja.schema.json"},
    )

    versi: int = SCHEMA_VERSION
    jenis: Literal["opd"] | None = Field(default=None, description="Jenis pohon: opd (bawaan) atau pemda (PemdaDocumentModel)")
    instansi: str | None = Field(default=None, description="Nama OPD/instansi")
    singkatan: TextList = Field(
        default_factory=list, description="Nama singkat instansi yang dipakai OPD lain sebagai mitra, mis. 'Satpol PP'")
    pemda: str | None = Field(default=None, description="Pemerintah daerah")
    periode: Text | None = None
    tahun: int | None = None
    tahap1: Tahap1Model | None = None
    pohon: NodeModel | list[NodeModel]
    tabel: TablesModel | None = None
    pengecualian: list[WaiverModel] = Field(default_factory=list)


class PemdaIndicatorModel(_Strict):
    """An indicator of a Pemda tujuan or sasaran (RPJMD). A bare string is shorthand for ``{nama: ...}``."""

    id: Text | None = Field(default=None, description="Id indikator, dirujuk OPD lewat indikator_pemda")
    nama: str = Field(description="Nama indikator, mis. 'Persentase penegakan Perda'")
    satuan: str | None = None
    target: Target | None = None
    baseline: float | None = None
    definisi: str | None = None
    formula: str | None = None
    sumber_data: str | None = None


class PemdaNodeModel(_Strict):
    """A tujuan or sasaran of the regional government; the agencies' outcomes hang below a sasaran."""

    id: Text | None = Field(default=None, description="Id; dirujuk OPD lewat sasaran_pemda")
    induk: Text | None = Field(default=None, description="Id tujuan induk (untuk daftar datar, mis. dari tabel)")
    level: Literal["tujuan", "sasaran"] = Field(description="tujuan (RPJMD) atau sasaran Pemda")
    kinerja: str = Field(default="", description="Pernyataan tujuan atau sasaran")
    indikator: list[Annotated[PemdaIndicatorModel, BeforeValidator(_indicator)]] = Field(default_factory=list)
    keterangan: str | None = None
    anak: list[PemdaNodeModel] = Field(default_factory=list, description="Sasaran di bawah tujuan")


class PemdaDocumentModel(_Strict):
    """The performance tree of a regional government (pohon kinerja Pemda): tujuan -> sasaran."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": "https://kinerjalint.id/schema/pohon-kinerja-pemda.schema.json"},
    )

    versi: int = SCHEMA_VERSION
    jenis: Literal["pemda"] = Field(description="Selalu 'pemda'")
    pemda: str | None = Field(default=None, description="Pemerintah daerah, mis. 'Kabupaten Balangan'")
    periode: Text | None = None
    tahun: int | None = None
    pohon: PemdaNodeModel | list[PemdaNodeModel]


def pemda_schema() -> dict[str, Any]:
    """The JSON Schema of a Pemda tree file."""
    schema = PemdaDocumentModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Pohon kinerja Pemda (kinerjalint)"
    defs = schema["$defs"]
    text_or_number = [{"type": "string"}, {"type": "number"}, {"type": "null"}]
    for model, keys in (("PemdaNodeModel", ("id", "induk")), ("PemdaIndicatorModel", ("id",))):
        for key in keys:
            defs[model]["properties"][key]["anyOf"] = text_or_number
    schema["properties"]["periode"]["anyOf"] = text_or_number
    defs["PemdaNodeModel"]["properties"]["indikator"]["items"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/PemdaIndicatorModel"}]}
    return schema


def document_schema() -> dict[str, Any]:
    """The JSON Schema editors use; it states the shorthands the validators accept."""
    schema = DocumentModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Pohon kinerja (kinerjalint)"
    defs = schema["$defs"]
    text_or_number = [{"type": "string"}, {"type": "number"}, {"type": "null"}]
    for model, keys in (("NodeModel", ("id", "induk", "sasaran_pemda")), ("IndicatorModel", ("indikator_pemda",)),
                        ("PemetaanModel", ("kode",)), ("TableRowModel", ("id", "induk", "tahap")), ("WaiverModel", ("node",))):
        for key in keys:
            defs[model]["properties"][key]["anyOf"] = text_or_number
    schema["properties"]["periode"]["anyOf"] = text_or_number
    defs["NodeModel"]["properties"]["indikator"]["items"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/IndicatorModel"}]}
    for model, key in (("NodeModel", "mitra"), ("DocumentModel", "singkatan"), ("Tahap1Model", "mandat"),
                       ("Tahap1Model", "permasalahan"), ("Tahap1Model", "ekspektasi")):
        prop = (schema if model == "DocumentModel" else defs[model])["properties"][key]
        prop["anyOf"] = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        prop.pop("type", None)
        prop.pop("items", None)
    return schema
