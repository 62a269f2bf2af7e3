"""Which organisation a row of a results file is: names, places, types, and the directory to match in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ita_portal import permissions
from ita_portal.permissions import Action as Permission

from ..choices import OrganisationType, Role
from ..models import Membership, Organisation
from .columns import compact

# --- Organisations ---------------------------------------------------------------------------

_TYPE_PREFIXES = [
    ("องค์การบริหารส่วนตำบล", "อบต", OrganisationType.SAO),
    ("องค์การบริหารส่วนจังหวัด", "อบจ", OrganisationType.PAO),
    ("เทศบาลตำบล", "ทต", OrganisationType.SUBDISTRICT_MUNICIPALITY),
    ("เทศบาลเมือง", "ทม", OrganisationType.TOWN_MUNICIPALITY),
    ("เทศบาลนคร", "ทน", OrganisationType.CITY_MUNICIPALITY),
]


def full_name(name: str) -> str:
    """The name with a leading abbreviation written out: อบต.โคกมน → องค์การบริหารส่วนตำบลโคกมน."""
    name = " ".join(name.split())
    for full, short, _ in _TYPE_PREFIXES:
        match = re.match(rf"^{short}\.?\s*(?=\S)", name)
        if match and not name.startswith(full):
            return full + name[match.end() :]
    return name


def name_key(name: str) -> str:
    return compact(full_name(name))


def place_key(text: str, *prefixes: str) -> str:
    """A province or district without its prefix (จังหวัด, จ., อำเภอ, อ.) for comparison."""
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return compact(text)


def province_key(text: str) -> str:
    return place_key(text, "จังหวัด", "จ.")


def district_key(text: str) -> str:
    return place_key(text, "อำเภอ", "อ.")


def bare_place(text: str, *prefixes: str) -> str:
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def organisation_type(typed: str, name: str) -> str | None:
    """The organisation type from the ประเภท cell (code, label or abbreviation), else from the name."""
    if typed:
        key = compact(typed).replace(".", "")
        for value, label in OrganisationType.choices:
            if key in (compact(value), compact(label).replace(".", "")):
                return value
        for full, short, value in _TYPE_PREFIXES:
            if key in (compact(full), short):
                return value
        return None
    full = full_name(name)
    for prefix, _, value in _TYPE_PREFIXES:
        if full.startswith(prefix):
            return value
    return None


@dataclass(frozen=True)
class KnownOrganisation:
    pk: int
    code: str | None
    name: str
    district: str
    province: str

    @property
    def label(self) -> str:
        return f"{self.name} จ.{self.province}"


@dataclass(frozen=True)
class NewOrganisation:
    code: str | None
    name: str
    district: str
    province: str
    org_type: str

    @property
    def label(self) -> str:
        return f"{self.name} จ.{self.province}"


class Directory:
    """Every organisation, indexed by code and by name + province, with those the user may import into."""

    def __init__(self, importable: set[int] | None):
        self.importable = importable  # None: all (the management command)
        self.by_code: dict[str, KnownOrganisation] = {}
        self.by_place: dict[tuple[str, str], list[KnownOrganisation]] = {}
        for pk, code, name, district, province in Organisation.objects.values_list(
            "pk", "code", "name", "district", "province"
        ):
            org = KnownOrganisation(pk, code, name, district, province)
            if code:
                self.by_code[code.casefold()] = org
            self.by_place.setdefault((name_key(name), province_key(province)), []).append(org)

    def may_import(self, org: KnownOrganisation) -> bool:
        return self.importable is None or org.pk in self.importable

    def by_name(self, name: str, province: str, district: str) -> list[KnownOrganisation]:
        found = self.by_place.get((name_key(name), province_key(province)), [])
        if len(found) > 1 and district:
            found = [org for org in found if district_key(org.district) == district_key(district)]
        return found


def membership_for_new(user, organisation: Organisation) -> Membership | None:
    """The importing administrator becomes an administrator of an organisation the import creates."""
    if user is None or user.is_superuser:
        return None
    return Membership(user=user, organisation=organisation, role=Role.ADMINISTRATOR)


def may_create_organisations(user) -> bool:
    """Only administrators (of at least one organisation) may let an import create organisations."""
    return permissions.anywhere(user, Permission.ORGANISATION_CREATE)
