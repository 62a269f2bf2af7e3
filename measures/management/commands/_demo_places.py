"""The places generate_demo_data spreads its organisations over: the 76 provinces, and the parts
its made-up place names are built from."""

from assessments.provinces import PROVINCES as ALL_PROVINCES

# Every province but Bangkok, whose organisations are not อบต., เทศบาล or อบจ.
PROVINCES = [name for name in ALL_PROVINCES if name != "กรุงเทพมหานคร"]

# Place names are made from common parts of Thai place names (no real place is meant).
PARTS = [
    "บ้าน", "หนอง", "ห้วย", "โคก", "นา", "ดอน", "ทุ่ง", "วัง", "ท่า", "บาง", "คลอง", "ป่า", "เขา",
    "ศรี", "ไผ่", "สวน", "โนน", "หาด", "เวียง", "แม่", "ใหม่", "ทอง", "แก้ว", "หลวง", "งาม", "เจริญ",
    "สุข", "พัฒนา", "กลาง", "ใต้", "เหนือ", "ยาง", "สะแก", "ขาม", "มะม่วง", "จาน", "สัก", "ตาล",
]  # fmt: skip
