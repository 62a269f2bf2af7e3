"""Scoring rules, table-driven and without a database.

The frameworks are read straight from the data files in fixtures/frameworks, so
these tests also check that the shipped data gives NACC's published results.
"""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from assessments import consistency, scoring
from assessments.consistency import Published
from assessments.scoring import Framework, LevelRule, ScoreError, ToolRule

FRAMEWORK_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "frameworks"
D = Decimal


def framework(year: int) -> Framework:
    """The year's scoring rules built from its data file (what load_framework stores)."""
    data = json.loads((FRAMEWORK_DIR / f"{year}.json").read_text(encoding="utf-8"))
    return Framework(
        year=year,
        tools=tuple(
            ToolRule(
                code=t["code"],
                name=t["name"],
                weight=D(t["weight"]),
                indicators=tuple(i["number"] for i in data["indicators"] if i["tool"] == t["code"]),
            )
            for t in data["tools"]
        ),
        levels=tuple(
            LevelRule(
                code=lv["code"],
                label=lv.get("label", lv["code"]),
                min_overall=D(lv["min_overall"]),
                min_tool=D(lv["min_tool"]) if lv.get("min_tool") else None,
                is_pass=lv.get("is_pass", False),
            )
            for lv in data["levels"]
        ),
        target_overall=D(data["target_overall"]),
        target_tool=D(data["target_tool"]) if data.get("target_tool") else None,
        eit_parts=data.get("eit_parts", False),
    )


def scores(text: str) -> dict[int, Decimal]:
    return {n: D(v) for n, v in enumerate(text.split(), start=1)}


@pytest.mark.parametrize(
    "module",
    [
        "assessments.scoring",
        "assessments.analysis",
        "assessments.consistency",
        "assessments.analytics",
        "oit.estimate",
        "oit.linkcheck",
        "measures.checks",
        "measures.generation",
    ],
)
def test_pure_modules_import_nothing_from_django(module):
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"


# DOMAIN.md section 3: every row, with the numbers each document printed.
REFERENCE_ROWS = [
    # (document, year, indicators 1–10, printed overall, printed level, recomputed overall, level, tools)
    (
        "003 อบต.ห้วยปลาดอง",
        2562,
        "99.65 99.47 98.41 99.26 98.81 71.49 73.86 62.71 83.34 50",
        "77.21",
        "B",
        "77.21",
        "B",
        None,
    ),
    (
        "004 ทต.กระสัง",
        2564,
        "93.66 90.53 91.59 90.77 93.23 93.14 94.12 90.76 92.42 75.00",
        "95",
        "AA",
        "88.87",
        "A",
        {"IIT": D("91.96"), "EIT": D("92.67"), "OIT": D("83.71")},
    ),
    (
        "002 อบจ.ตาก",
        2567,
        "97.78 100 100 100 100 99.13 99.10 97.05 100 100",
        "99.40",
        "ผ่านดีเยี่ยม",
        "99.39",
        "ผ่านดีเยี่ยม",
        None,
    ),
    (
        "000 อบต.โคกมน",
        2568,
        "100 100 99.75 100 100 99.00 97.33 98.67 91.25 85.00",
        "94.74",
        "ผ่านดี",
        "94.74",
        "ผ่านดี",
        {"IIT": D("99.95"), "EIT": D("98.33"), "OIT": D("88.13")},
    ),
    (
        "001 อบต.วังหมี",
        2568,
        "93.33 96.13 98.06 83.87 93.33 97.13 97.47 95.74 82.50 85.00",
        "90.42",
        "ผ่าน",
        "90.42",
        "ผ่าน",
        {"IIT": D("92.94"), "EIT": D("96.78"), "OIT": D("83.75")},
    ),
]


@pytest.mark.parametrize(
    "document,year,indicators,printed,printed_level,overall,level,tools",
    REFERENCE_ROWS,
    ids=[row[0] for row in REFERENCE_ROWS],
)
def test_reference_documents(document, year, indicators, printed, printed_level, overall, level, tools):
    fw = framework(year)
    result = scoring.evaluate(fw, scores(indicators))
    assert result.overall == D(overall)
    assert result.level.label == level
    # Without part scores, 002 and 000 (ผ่านดีเยี่ยม, ผ่านดี) could still drop if a part is low;
    # 001 is ผ่าน whatever the parts (its OIT is 83.75). Before 2567 there are no parts at all.
    assert result.level_provisional is (document[:3] in ("002", "000"))
    if tools:
        assert result.tool_scores == tools
    findings = consistency.check_consistency(fw, result, Published(overall=D(printed), level=printed_level))
    if document.startswith("004"):
        assert [f.field for f in findings] == ["overall", "level"]
        assert "95.00" in findings[0].message and "88.87" in findings[0].message
        assert "AA" in findings[1].message and "(A)" in findings[1].message
    else:
        assert findings == []


def test_document_004_printed_tool_scores_are_within_rounding():
    """004 printed IIT 91.95; recomputed 91.956 → 91.96: a rounding difference, not an error."""
    fw = framework(2564)
    result = scoring.evaluate(fw, scores(REFERENCE_ROWS[1][2]))
    published = Published(tool_scores={"IIT": D("91.95"), "EIT": D("92.67"), "OIT": D("83.71")})
    assert consistency.check_consistency(fw, result, published) == []


def test_overall_rounds_half_up_once_at_the_end():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores("100 100 99.75 100 100 99.00 97.33 98.67 91.25 85.00"))
    assert result.exact_overall == D("94.735")  # exactly half-way
    assert result.overall == D("94.74")
    assert round(float(result.exact_overall), 2) == 94.73  # what floats would have printed
    # OIT 88.125 shows as 88.13 but the overall used the exact 88.125, not 88.13
    assert result.exact_tool_scores["OIT"] == D("88.125")


def test_missing_indicator_is_an_error_naming_it():
    values = scores("100 100 99.75 100 100 99.00 97.33 98.67 91.25 85.00")
    del values[7]
    with pytest.raises(ScoreError, match="ตัวชี้วัดที่ 7"):
        scoring.evaluate(framework(2568), values)


@pytest.mark.parametrize(
    "overall,level",
    [
        ("100", "AA"),
        ("95", "AA"),
        ("94.99", "A"),
        ("85", "A"),
        ("84.99", "B"),
        ("75", "B"),
        ("74.99", "C"),
        ("65", "C"),
        ("64.99", "D"),
        ("55", "D"),
        ("54.99", "E"),
        ("50", "E"),
        ("49.99", "F"),
        ("0", "F"),
    ],
)
def test_letter_levels_2562_to_2565(overall, level):
    for year in (2562, 2563, 2564, 2565):
        fw = framework(year)
        tools = {"IIT": D(overall), "EIT": D(overall), "OIT": D(overall)}
        assert scoring.rate(fw, D(overall), tools).code == level


def test_letter_levels_pass_at_85():
    fw = framework(2564)
    assert scoring.rate(fw, D("85"), {}).is_pass
    assert not scoring.rate(fw, D("84.99"), {}).is_pass


@pytest.mark.parametrize(
    "overall,iit,eit,oit,label",
    [
        ("94.64", "97", "84", "99", "ผ่าน"),  # national agency 2568: EIT below 85
        ("94.64", "97", "85", "99", "ผ่านดี"),
        ("97.90", "99", "99", "94.99", "ผ่านดี"),  # above 95 overall, one tool below 95
        ("95", "95", "95", "95", "ผ่านดีเยี่ยม"),
        ("90.42", "92.94", "96.78", "83.75", "ผ่าน"),  # document 001
        ("84.99", "99", "99", "99", "ต้องปรับปรุง"),
        ("70", "70", "70", "70", "ต้องปรับปรุง"),
        ("69.99", "99", "99", "99", "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_levels_with_tool_floors_2567_onwards(overall, iit, eit, oit, label):
    for year in (2567, 2568, 2569):
        fw = framework(year)
        level = scoring.rate(fw, D(overall), {"IIT": D(iit), "EIT": D(eit), "OIT": D(oit)})
        assert level.label == label


def test_targets_2568_per_tool():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores("93.33 96.13 98.06 83.87 93.33 97.13 97.47 95.74 82.50 85.00"))
    met = {check.label: check.met for check in result.targets}
    assert met == {"คะแนนภาพรวม": True, "คะแนน IIT": True, "คะแนน EIT": True, "คะแนน OIT": False}
    assert not result.targets_met
    assert result.passed


def test_targets_before_2567_only_overall():
    result = scoring.evaluate(framework(2562), scores(REFERENCE_ROWS[0][2]))
    assert [(c.label, c.met) for c in result.targets] == [("คะแนนภาพรวม", False)]


@pytest.mark.parametrize(
    "published,flagged",
    [("94.74", False), ("94.75", False), ("94.73", False), ("94.76", True), ("94.72", True)],
)
def test_consistency_tolerance_is_one_hundredth(published, flagged):
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(REFERENCE_ROWS[3][2]))
    findings = consistency.check_consistency(fw, result, Published(overall=D(published)))
    assert bool(findings) is flagged


def test_consistency_names_each_discrepancy():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(REFERENCE_ROWS[3][2]))
    published = Published(overall=D("90"), level="ผ่านดีเยี่ยม", tool_scores={"IIT": D("99.95"), "OIT": D("80")})
    findings = consistency.check_consistency(fw, result, published)
    assert [f.field for f in findings] == ["OIT", "overall", "level"]
    assert findings[0].message.startswith("คะแนน OIT ที่ประกาศ (80.00)")
    assert "88.13" in findings[0].message
    assert "ผ่านดี" in findings[2].message


def test_consistency_unknown_level():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(REFERENCE_ROWS[3][2]))
    findings = consistency.check_consistency(fw, result, Published(level="AA"))
    assert len(findings) == 1 and "ไม่มีในเกณฑ์ของปี 2568" in findings[0].message


def test_published_level_matches_by_code_or_label():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(REFERENCE_ROWS[3][2]))
    assert consistency.check_consistency(fw, result, Published(level="good")) == []
    assert consistency.check_consistency(fw, result, Published(level=" ผ่านดี ")) == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("94.74", D("94.74")),
        ("๙๔.๗๔", D("94.74")),
        (" 100 ", D("100.00")),
        ("0", D("0.00")),
        ("85.5", D("85.50")),
        ("๑๐๐", D("100.00")),
        ("94.740", D("94.74")),
    ],
)
def test_parse_score_accepts(text, value):
    assert scoring.parse_score(text) == value


@pytest.mark.parametrize(
    "text,message",
    [
        ("101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("-1", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("100.01", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("abc", "คะแนนต้องเป็นตัวเลข"),
        ("94.745", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        ("1e2", "คะแนนต้องเป็นตัวเลข"),
        ("NaN", "คะแนนต้องเป็นตัวเลข"),
        ("94,74", "คะแนนต้องเป็นตัวเลข"),
        ("", "กรุณากรอกคะแนน"),
    ],
)
def test_parse_score_refuses(text, message):
    with pytest.raises(ScoreError) as exc:
        scoring.parse_score(text)
    assert message in exc.value.message


def test_framework_refuses_weights_not_summing_to_one():
    with pytest.raises(ValueError, match="น้ำหนัก"):
        Framework(
            year=2568,
            tools=(ToolRule("IIT", "", D("0.3"), (1,)), ToolRule("OIT", "", D("0.3"), (2,))),
            levels=(),
        )


def test_every_shipped_framework_builds():
    years = sorted(int(p.stem) for p in FRAMEWORK_DIR.glob("*.json"))
    assert years == list(range(2562, 2570))
    for year in years:
        assert framework(year).indicator_numbers == tuple(range(1, 11))


# --- The four-score rule of 2567 onwards (EIT part 1 and part 2) -------------------------------

KHOKMON = "100 100 99.75 100 100 99.00 97.33 98.67 91.25 85.00"  # 000: IIT 99.95 EIT 98.33 OIT 88.13
TAK = "97.78 100 100 100 100 99.13 99.10 97.05 100 100"  # 002: IIT 99.56 EIT 98.43 OIT 100
# EIT 88 (the mean of 88, 88, 88) with every other indicator high.
EIT_88 = "99 99 99 99 99 88 88 88 99 99"


def test_years_with_eit_parts_are_2567_onwards():
    assert [year for year in range(2562, 2570) if framework(year).eit_parts] == [2567, 2568, 2569]


@pytest.mark.parametrize(
    "year,indicators,parts,three_tool,four_score",
    [
        # The case: combined EIT 88, part 2 at 80 → ผ่าน, not ผ่านดี.
        (2567, EIT_88, ("96", "80"), "ผ่านดี", "ผ่าน"),
        (2568, EIT_88, ("96", "80"), "ผ่านดี", "ผ่าน"),
        # Document 002's result with a part 1 of 94: ผ่านดี, not ผ่านดีเยี่ยม.
        (2567, TAK, ("94", "99.50"), "ผ่านดีเยี่ยม", "ผ่านดี"),
        (2568, TAK, ("99.50", "94.99"), "ผ่านดีเยี่ยม", "ผ่านดี"),
        # Document 000's result with a part below 85: ผ่าน.
        (2568, KHOKMON, ("84.99", "99"), "ผ่านดี", "ผ่าน"),
        (2567, KHOKMON, ("99", "84.99"), "ผ่านดี", "ผ่าน"),
        # Part 1 below 95 but above 85 with an otherwise excellent result.
        (2568, "99 99 99 99 99 97 97 97 99 99", ("94.50", "99"), "ผ่านดีเยี่ยม", "ผ่านดี"),
    ],
)
def test_four_score_rule_where_three_tools_disagree(year, indicators, parts, three_tool, four_score):
    fw = framework(year)
    without = scoring.evaluate(fw, scores(indicators))
    assert without.level.label == three_tool
    assert without.level_provisional
    result = scoring.evaluate(fw, scores(indicators), (D(parts[0]), D(parts[1])))
    assert result.level.label == four_score
    assert not result.level_provisional
    assert result.overall == without.overall  # the parts never change the overall
    assert list(result.floor_scores) == ["IIT", "EIT ส่วนที่ 1", "EIT ส่วนที่ 2", "OIT"]


@pytest.mark.parametrize(
    "year,indicators,parts,level",
    [
        (2568, KHOKMON, ("99", "97"), "ผ่านดี"),  # OIT 88.13 keeps it below ผ่านดีเยี่ยม
        (2567, TAK, ("99", "97.50"), "ผ่านดีเยี่ยม"),
        (2568, "93.33 96.13 98.06 83.87 93.33 97.13 97.47 95.74 82.50 85.00", ("99", "99"), "ผ่าน"),
    ],
)
def test_four_score_rule_where_both_agree(year, indicators, parts, level):
    result = scoring.evaluate(framework(year), scores(indicators), (D(parts[0]), D(parts[1])))
    assert result.level.label == level
    assert not result.level_provisional


def test_parts_are_ignored_in_a_year_without_them():
    fw = framework(2566)
    result = scoring.evaluate(fw, scores(EIT_88), (D("96"), D("80")))
    assert result.eit_parts is None
    assert not result.level_provisional
    assert list(result.floor_scores) == ["IIT", "EIT", "OIT"]


def test_provisional_only_where_the_parts_could_change_the_level():
    fw = framework(2568)
    assert scoring.evaluate(fw, scores(KHOKMON)).level_provisional  # ผ่านดี could become ผ่าน
    # OIT below 85: ผ่าน whatever the parts.
    assert not scoring.evaluate(fw, scores("99 99 99 99 99 99 99 99 80 80")).level_provisional
    # Below 85 overall: ต้องปรับปรุง whatever the parts.
    assert not scoring.evaluate(fw, scores("80 80 80 80 80 80 80 80 80 80")).level_provisional
    result = scoring.evaluate(fw, scores(KHOKMON))
    assert result.provisional_note == "ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน"
    assert result.level_text == "ผ่านดี (ระดับเบื้องต้น: ยังไม่ได้กรอกคะแนน EIT รายส่วน)"


def test_one_part_alone_is_an_error():
    with pytest.raises(ScoreError, match="ทั้งส่วนที่ 1 และส่วนที่ 2"):
        scoring.evaluate(framework(2568), scores(KHOKMON), (D("99"), None))


def test_targets_name_the_parts_as_the_documents_do():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(EIT_88), (D("96"), D("80")))
    assert [(c.label, c.met) for c in result.targets] == [
        ("คะแนนภาพรวม", True),
        ("คะแนน IIT", True),
        ("คะแนน EIT ส่วนที่ 1", True),
        ("คะแนน EIT ส่วนที่ 2", False),
        ("คะแนน OIT", True),
    ]
    provisional = scoring.evaluate(fw, scores(EIT_88))
    assert [c.label for c in provisional.targets] == ["คะแนนภาพรวม", "คะแนน IIT", "คะแนน EIT", "คะแนน OIT"]


def test_consistency_flags_a_level_the_part_scores_contradict():
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(EIT_88), (D("96"), D("80")))
    findings = consistency.check_consistency(fw, result, Published(level="ผ่านดี"))
    assert [f.field for f in findings] == ["level"]
    assert "ผ่านดี" in findings[0].message and "(ผ่าน)" in findings[0].message
    assert "EIT ส่วนที่ 2 ได้ 80.00 ต่ำกว่า 85.00" in findings[0].message
    assert consistency.check_consistency(fw, result, Published(level="ผ่าน")) == []


@pytest.mark.parametrize(
    "published,flagged",
    [
        ("ผ่านดี", False),  # what the three tools give
        ("ผ่าน", False),  # what a low part would make it
        ("ผ่านดีเยี่ยม", True),  # the parts cannot raise it above the three-tool level
        ("ต้องปรับปรุง", True),  # nor lower it below what the overall reaches
    ],
)
def test_consistency_without_parts_accepts_only_the_levels_the_parts_allow(published, flagged):
    fw = framework(2568)
    result = scoring.evaluate(fw, scores(KHOKMON))
    findings = consistency.check_consistency(fw, result, Published(level=published))
    assert bool(findings) is flagged
    if flagged:
        assert "ระดับเบื้องต้น" in findings[0].message
