"""The schema of a configuration file (pydantic), imported only when a file is validated."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    l3_indikator: Literal["hasil", "keluaran", "keduanya"] = Field(
        default="keduanya", description="Jenis indikator kondisi antara (L3): hasil, keluaran (Jumlah), atau keduanya")
    l3_pemilik: Literal["pengawas", "jf", "keduanya"] = Field(
        default="keduanya", description="Pemilik kinerja L3: PK Pengawas, JF, atau keduanya (pasca penyederhanaan birokrasi)")


SeverityName = Literal["error", "warning", "info", "galat", "peringatan"]


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extends: Literal["default", "strict"] | None = None
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    profil: Profile | None = None
    kata: dict[str, list[str]] = Field(default_factory=dict, description="Tambahan daftar kata: nama daftar -> entri")
    katalog: str | None = Field(default=None, description="Berkas CSV katalog nomenklatur: kode,nama")
    bahasa: Literal["id", "en"] | None = None
    fail_on: Literal["error", "warning", "info", "never"] | None = None
    rules: list[str] = Field(default_factory=list, description="Folder aturan tambahan")
    baseline: str | None = None
