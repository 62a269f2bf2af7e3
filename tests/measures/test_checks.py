"""Edited texts checked against the records: the mistakes of document 001 are caught."""

from decimal import Decimal

import pytest

from measures.checks import Facts, check_text

D = Decimal

# Document 001 (อบต.วังหมี 2568): the real names and scores of its ten indicators.
WANGMEE = Facts(
    indicator_names={
        1: "การปฏิบัติหน้าที่",
        2: "การใช้งบประมาณ",
        3: "การใช้อำนาจ",
        4: "การใช้ทรัพย์สินของราชการ",
        5: "การแก้ไขปัญหาการทุจริต",
        6: "คุณภาพการดำเนินงาน",
        7: "ประสิทธิภาพการสื่อสาร",
        8: "การปรับปรุงการทำงาน",
        9: "การเปิดเผยข้อมูล",
        10: "การป้องกันการทุจริต",
    },
    indicator_scores={
        1: D("93.33"),
        2: D("96.13"),
        3: D("98.06"),
        4: D("83.87"),
        5: D("93.33"),
        6: D("97.13"),
        7: D("97.47"),
        8: D("95.74"),
        9: D("82.50"),
        10: D("85.00"),
    },
    question_codes=frozenset(
        {f"i{n}" for n in range(1, 16)} | {f"e{n}" for n in range(1, 10)} | {"o8", "o27"}
    ),
    other_scores=frozenset({D("94.19"), D("90.42"), D("85")}),
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ตัวชี้วัดที่ 7 การใช้งบประมาณ", "ตัวชี้วัดที่ 7 คือ “ประสิทธิภาพการสื่อสาร” ไม่ใช่ “การใช้งบประมาณ”"),
        ("ตัวชี้วัดที่ ๙ ประสิทธิภาพการสื่อสาร", "ตัวชี้วัดที่ 9 คือ “การเปิดเผยข้อมูล”"),
        ("ตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้ 70.00 คะแนน", "ตัวชี้วัดที่ 10 ได้ 85.00 คะแนน ไม่ใช่ 70.00 คะแนน"),
        ("ตัวชี้วัดที่ 1 ได้ ๘๙.๖๘ คะแนน", "ตัวชี้วัดที่ 1 ได้ 93.33 คะแนน ไม่ใช่ 89.68 คะแนน"),
        ("ข้อ i4 ได้ 94.91 คะแนน", "94.91 คะแนน ไม่ตรงกับคะแนนใดในผลการประเมินของปีนี้"),
        ("ตัวชี้วัดที่ 11 การเปิดเผยข้อมูล", "ไม่มีตัวชี้วัดที่ 11"),
        ("ปรับปรุงคู่มือ (อ้างอิง o99)", "ปีที่ประเมินไม่มีข้อ o99"),
    ],
)
def test_mistakes_are_found(text, message):
    messages = [f.message for f in check_text(text, WANGMEE)]
    assert any(message in m for m in messages), messages


@pytest.mark.parametrize(
    "text",
    [
        "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร ได้ 97.47 คะแนน",
        "ข้อ i4 ได้ 94.19 คะแนน (ตัวชี้วัดที่ 2 การใช้งบประมาณ ได้ 96.13 คะแนน)",
        # A question's score after the indicator's is the question's, not the indicator's.
        "ตัวชี้วัดที่ 2 การใช้งบประมาณ โดยข้อ i4 ได้ 94.19 คะแนน",
        "คะแนนภาพรวม 90.42 คะแนน ค่าเป้าหมาย 85.00 คะแนน ตัวชี้วัดย่อย 10.2 (อ้างอิง o8, o27)",
        "ใช้ Office365 และ E-Service ตลอดปี",
    ],
)
def test_true_texts_pass(text):
    assert check_text(text, WANGMEE) == []
