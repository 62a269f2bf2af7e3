"""Which organisation a row of a results file is: by code, or by name and province (and district
when the name repeats); or, where the import may create organisations, the one it would create."""

from __future__ import annotations

from ..models import Organisation
from .organisations import (
    Directory,
    KnownOrganisation,
    NewOrganisation,
    bare_place,
    full_name,
    organisation_type,
)
from .plan import CellError, RowPlan


def resolve_organisation(
    row: RowPlan,
    code: str,
    name: str,
    district: str,
    province: str,
    typed_type: str,
    directory: Directory,
    create: bool,
) -> None:
    def refuse(message: str) -> None:
        row.errors.append(CellError(row.row, "", "", message))

    if not code and not (name and province):
        refuse("ไม่มีรหัสหน่วยงาน หรือชื่อหน่วยงานพร้อมจังหวัด จึงไม่รู้ว่าเป็นหน่วยงานใด")
        return
    found: KnownOrganisation | None = directory.by_code.get(code.casefold()) if code else None
    if found is None and name and province:
        candidates = directory.by_name(name, province, district)
        if code:
            # A code the portal does not know yet: take the organisation by name if it has no code.
            candidates = [org for org in candidates if not org.code]
        if len(candidates) > 1:
            refuse(
                f"มีหน่วยงานชื่อ {name} ในจังหวัด{bare_place(province, 'จังหวัด', 'จ.')} มากกว่าหนึ่งแห่ง "
                "กรุณาระบุรหัสหน่วยงานหรืออำเภอ"
            )
            return
        if candidates:
            found = candidates[0]
            row.set_code = code or None
    if found is not None:
        if not directory.may_import(found):
            # Word for word what an organisation that does not exist gets, "create" or not.
            refuse(_not_found(code, name, province))
            return
        row.known = found
        row.organisation = found.label
        return
    if not create:
        refuse(_not_found(code, name, province))
        return
    problem = _new_organisation(row, code, name, district, province, typed_type)
    if problem:
        refuse(problem)


def _new_organisation(row: RowPlan, code, name, district, province, typed_type) -> str:
    """The organisation the row's import would create (``row.new``), or why it cannot (Thai)."""
    missing = [
        label for label, value in (("ชื่อหน่วยงาน", name), ("อำเภอ", district), ("จังหวัด", province)) if not value
    ]
    if missing:
        return "สร้างหน่วยงานใหม่ไม่ได้ เพราะไม่มี" + " ".join(missing)
    org_type = organisation_type(typed_type, name)
    if org_type is None:
        return (
            f"สร้างหน่วยงานใหม่ไม่ได้ เพราะไม่รู้ประเภทของ “{name}” "
            "กรุณากรอกคอลัมน์ประเภท เช่น อบต. เทศบาลตำบล เทศบาลเมือง เทศบาลนคร หรือ อบจ."
        )
    if code and len(code) > Organisation._meta.get_field("code").max_length:
        return "รหัสหน่วยงานยาวเกินไป"
    row.new = NewOrganisation(
        code=code or None,
        name=full_name(name),
        district=bare_place(district, "อำเภอ", "อ."),
        province=bare_place(province, "จังหวัด", "จ."),
        org_type=org_type,
    )
    row.organisation = row.new.label
    return ""


def _not_found(code: str, name: str, province: str) -> str:
    what = f"รหัส {code}" if code else f"{name} จังหวัด{bare_place(province, 'จังหวัด', 'จ.')}"
    return f"ไม่พบหน่วยงาน{what} ในหน่วยงานที่ท่านมีสิทธิ์นำเข้าข้อมูล"
