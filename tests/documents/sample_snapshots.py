"""One realistic document snapshot per document kind (the contract of DESIGN §5 between workflow and documents).

`SAMPLE_SNAPSHOTS[kind]` is a fresh-looking, fully filled snapshot as the workflow code builds it; tests in
other packages import it. Treat the values as read-only (copy.deepcopy before changing one).

The stories: 上海某某燃气器具有限公司 makes a household gas cooker that failed a sampling inspection (registered,
ordered to rectify, deadline extended, verified, rechecked); 上海某某电动车商行 sold electric-bicycle chargers
without CCC certification (case filed, goods seized, transferred to the police, returned, closed);
上海某某电线电缆经营部 was reported for cables that a check found compliant (not filed).
"""

from __future__ import annotations

import copy

AGENCY = "上海市浦东新区市场监督管理局"
UNIT = {"code": "310115", "name": AGENCY, "short": "浦"}

GAS_PARTY = {
    "name": "上海某某燃气器具有限公司",
    "uscc": "91310115591693856A",
    "address": "上海市浦东新区康桥镇秀浦路2388号3幢1层",
    "legal_rep": "王建国",
    "phone": "021-58123456",
}
EBIKE_PARTY = {
    "name": "上海某某电动车商行",
    "uscc": "92310115MA1H8Q2T0C",
    "address": "上海市浦东新区周浦镇年家浜路128号",
    "legal_rep": "陈立新",
    "phone": "13816612345",
}
CABLE_PARTY = {
    "name": "上海某某电线电缆经营部",
    "uscc": "91310115MA1K3B7X4U",
    "address": "上海市浦东新区川沙新镇川环南路655号",
    "legal_rep": "刘海",
    "phone": "021-68901234",
}

GAS_FACTS = (
    "2023年7月3日，本局在2023年燃气用品产品质量监督抽查中，对你单位生产的“某某牌”JZT-2-B21型家用燃气灶"
    "（生产日期2023年5月12日，批号20230512）进行抽样检验。经上海市质量监督检验技术研究院检验，"
    "该批次产品“熄火保护装置”“燃气导管”两项不符合GB 16410-2020《家用燃气灶具》的要求，检验结论为不合格。\n"
    "经现场检查，你单位库存同型号燃气灶127台，已销售同批次产品312台。"
)
EBIKE_FACTS = (
    "2023年7月28日，本局执法人员对你单位经营场所进行执法检查，发现你单位销售的“速某”牌48V 12Ah电动自行车"
    "充电器未获得强制性产品认证（CCC认证），亦未标注认证标志。现场查见该型号充电器库存86只，"
    "你单位提供的进货单据显示2023年3月以来共购进该型号充电器560只，已销售474只，销售单价每只85元。"
)
CABLE_FACTS = (
    "2023年8月7日，本局接到投诉举报，反映你单位销售的BV 2.5平方毫米聚氯乙烯绝缘电线电缆存在导体截面积不足的问题。"
)

GAS_ITEM = {
    "id": 12,
    "category": "燃气用品",
    "sub_product": "家用燃气灶",
    "problem_type": "质量低劣",
    "source": "监督抽查",
    "facts": GAS_FACTS,
    "found_on": "2023-07-03",
}
EBIKE_ITEM = {
    "id": 27,
    "category": "电动自行车充电器和电池",
    "sub_product": None,
    "problem_type": "不符合强制性产品认证要求",
    "source": "执法检查",
    "facts": EBIKE_FACTS,
    "found_on": "2023-07-28",
}
CABLE_ITEM = {
    "id": 31,
    "category": "电线电缆",
    "sub_product": None,
    "problem_type": "质量低劣",
    "source": "投诉举报",
    "facts": CABLE_FACTS,
    "found_on": "2023-08-07",
}

GAS_RECTIFICATION = {
    "ordered_on": "2023-07-19",
    "deadline": "2023-08-18",
    "requirements": (
        "1. 立即停止生产、销售JZT-2-B21型家用燃气灶，对库存的127台产品予以封存；\n"
        "2. 对已销售的312台同批次产品实施召回，并建立召回台账；\n"
        "3. 查明熄火保护装置、燃气导管不合格的原因，整改生产工艺，加强原材料进货检验和出厂检验；\n"
        "4. 整改完成后将整改报告及复检报告书面报送本局。"
    ),
    "number": "沪市监浦责改〔2023〕12号",
}
EBIKE_CASE = {
    "offence": "上海某某电动车商行销售未经强制性产品认证的电动自行车充电器案",
    "filed_on": "2023-08-02",
    "number": "沪市监浦立〔2023〕41号",
}

HANDLER = {"name": "张三"}
LEADER = {"name": "李四", "role": "leader", "role_label": "负责人"}
HANDLER_ACTOR = {"name": "张三", "role": "handler", "role_label": "承办人员"}


def _snapshot(
    kind,
    title,
    code,
    serial,
    issued_on,
    party,
    item,
    event,
    actor,
    *,
    case=None,
    rectification=None,
    state_before,
    state_after,
    deadline,
):
    return {
        "template_version": 1,
        "kind": kind,
        "title": title,
        "number": f"沪市监浦{code}〔2023〕{serial}号",
        "issued_on": issued_on,
        "agency": AGENCY,
        "unit": dict(UNIT),
        "party": dict(party),
        "item": {**item, "state_before": state_before, "state_after": state_after, "deadline": deadline},
        "event": event,
        "actor": dict(actor),
        "handler": dict(HANDLER),
        "case": case,
        "rectification": rectification,
    }


SAMPLE_SNAPSHOTS: dict[str, dict] = {
    "hazard_register": _snapshot(
        "hazard_register",
        "隐患登记表",
        "隐登",
        35,
        "2023-07-03",
        GAS_PARTY,
        GAS_ITEM,
        {
            "name": "register",
            "label": "登记隐患",
            "input": {
                "enterprise_uscc": GAS_PARTY["uscc"],
                "category": "燃气用品",
                "sub_product": "家用燃气灶",
                "problem_type": "质量低劣",
                "source": "监督抽查",
                "facts": GAS_FACTS,
                "found_on": "2023-07-03",
            },
        },
        HANDLER_ACTOR,
        state_before=None,
        state_after="found",
        deadline="2023-07-24",
    ),
    "rectification_order": _snapshot(
        "rectification_order",
        "责令改正通知书",
        "责改",
        12,
        "2023-07-19",
        GAS_PARTY,
        GAS_ITEM,
        {
            "name": "order_rectification",
            "label": "责令改正",
            "input": {
                "deadline": "2023-08-18",
                "requirements": GAS_RECTIFICATION["requirements"],
                "legal_basis": "《中华人民共和国产品质量法》第十三条第一款、第二十六条第二款第（一）项",
            },
        },
        HANDLER_ACTOR,
        rectification=GAS_RECTIFICATION,
        state_before="found",
        state_after="rectifying",
        deadline="2023-08-18",
    ),
    "matter_approval": _snapshot(
        "matter_approval",
        "行政处罚案件有关事项审批表",
        "事审",
        5,
        "2023-08-15",
        GAS_PARTY,
        GAS_ITEM,
        {
            "name": "extend_rectification",
            "label": "延长整改期限",
            "input": {
                "deadline": "2023-09-15",
                "reason": "当事人于2023年8月10日提交书面延期申请：已召回的同批次产品中尚有96台分散在外省市经销商处，"
                "召回及熄火保护装置更换需协调第三方售后网点，预计无法在原期限内完成。经核实，当事人已召回216台，"
                "库存产品已全部封存，整改措施正在落实。",
            },
        },
        LEADER,
        rectification=GAS_RECTIFICATION,
        state_before="rectifying",
        state_after="rectifying",
        deadline="2023-09-15",
    ),
    "rectification_review": _snapshot(
        "rectification_review",
        "整改复查意见书",
        "复查",
        9,
        "2023-09-12",
        GAS_PARTY,
        GAS_ITEM,
        {
            "name": "verify_rectification",
            "label": "整改复查",
            "input": {
                "verified_on": "2023-09-12",
                "findings": "你单位已对库存的127台及召回的312台JZT-2-B21型家用燃气灶全部更换熄火保护装置和燃气导管，"
                "并经上海市质量监督检验技术研究院复检合格（报告编号：2023-RQ-08817）；已修订原材料进货检验规程，"
                "增加熄火保护装置逐批检验项目。整改措施落实到位。",
            },
        },
        HANDLER_ACTOR,
        rectification=GAS_RECTIFICATION,
        state_before="rectifying",
        state_after="closed",
        deadline=None,
    ),
    "case_filing_approval": _snapshot(
        "case_filing_approval",
        "立案审批表",
        "立审",
        41,
        "2023-08-02",
        EBIKE_PARTY,
        EBIKE_ITEM,
        {
            "name": "file_case",
            "label": "立案",
            "input": {
                "offence": EBIKE_CASE["offence"],
                "reasons": "经核查，当事人销售的“速某”牌48V 12Ah电动自行车充电器属于强制性产品认证目录内产品，"
                "当事人无法提供该产品的强制性产品认证证书，经查询国家认证认可监督管理委员会认证信息系统，"
                "该型号产品无有效认证证书。当事人涉嫌销售未经认证的强制性产品认证目录内产品。",
                "legal_provisions": "《中华人民共和国认证认可条例》第二十七条、第六十六条；《强制性产品认证管理规定》第二条",
            },
        },
        LEADER,
        state_before="found",
        state_after="case_filed",
        deadline="2023-10-31",
    ),
    "no_filing_approval": _snapshot(
        "no_filing_approval",
        "不予立案审批表",
        "不立",
        3,
        "2023-08-21",
        CABLE_PARTY,
        CABLE_ITEM,
        {
            "name": "dismiss",
            "label": "不予立案",
            "input": {
                "reason": "核查不属实",
                "remarks": "2023年8月10日，执法人员对当事人经营场所进行现场检查，对库存的BV 2.5平方毫米电线抽样送检，"
                "经上海市质量监督检验技术研究院检验，导体电阻、绝缘厚度等项目均符合GB/T 5023.3-2008的要求。"
                "当事人能够提供合法进货凭证和产品合格证明，举报反映的问题经核查不属实。",
            },
        },
        LEADER,
        state_before="found",
        state_after="closed",
        deadline=None,
    ),
    "compulsory_measures": _snapshot(
        "compulsory_measures",
        "实施行政强制措施决定书",
        "强制",
        7,
        "2023-08-03",
        EBIKE_PARTY,
        EBIKE_ITEM,
        {
            "name": "seize",
            "label": "查封扣押",
            "input": {
                "items": [
                    {"name": "电动自行车充电器", "spec": "“速某”牌 48V 12Ah", "unit": "只", "quantity": "86"},
                    {"name": "电动自行车充电器包装盒", "spec": "“速某”牌", "unit": "个", "quantity": "120"},
                    {"name": "进货单据", "spec": None, "unit": "份", "quantity": "14"},
                ],
                "place": "上海市浦东新区市场监督管理局罚没物品仓库（上海市浦东新区合庆镇东川公路5118号）",
                "period_days": 30,
            },
        },
        LEADER,
        case=EBIKE_CASE,
        state_before="case_filed",
        state_after="case_filed",
        deadline="2023-09-02",
    ),
    "criminal_transfer": _snapshot(
        "criminal_transfer",
        "涉嫌犯罪案件移送书",
        "移送",
        2,
        "2023-08-25",
        EBIKE_PARTY,
        EBIKE_ITEM,
        {
            "name": "transfer_to_judiciary",
            "label": "移送司法机关",
            "input": {
                "receiving_organ": "上海市公安局浦东分局",
                "suspected_offence": "销售伪劣产品罪",
                "amount_involved": "47600.00",
                "materials": "1. 涉嫌犯罪案件情况的调查报告；\n2. 涉案物品清单；\n3. 检验报告；\n4. 现场检查笔录、询问笔录及进货单据复印件。",
            },
        },
        LEADER,
        case=EBIKE_CASE,
        state_before="case_filed",
        state_after="transferred",
        deadline=None,
    ),
    "case_closing_approval": _snapshot(
        "case_closing_approval",
        "结案审批表",
        "结审",
        18,
        "2023-10-30",
        EBIKE_PARTY,
        EBIKE_ITEM,
        {
            "name": "close_case",
            "label": "结案",
            "input": {
                "outcome": "处罚",
                "decision_number": "沪市监浦处〔2023〕315号",
                "fine_amount": "12000.00",
                "case_value": "47600.00",
            },
        },
        LEADER,
        case=EBIKE_CASE,
        state_before="case_filed",
        state_after="closed",
        deadline=None,
    ),
    "recheck_record": _snapshot(
        "recheck_record",
        "回头看检查记录",
        "回查",
        4,
        "2023-10-20",
        GAS_PARTY,
        GAS_ITEM,
        {
            "name": "pass_recheck",
            "label": "回头看通过",
            "input": {
                "findings": "2023年10月20日，执法人员对你单位开展回头看检查：生产现场熄火保护装置进货检验记录完整，"
                "抽查在产JZT-2-B21型家用燃气灶3台，熄火保护装置、燃气导管与复检合格样品一致，"
                "召回台账与销售记录相符。未发现问题反弹。",
            },
        },
        HANDLER_ACTOR,
        rectification=GAS_RECTIFICATION,
        state_before="rechecking",
        state_after="closed",
        deadline=None,
    ),
}

# judiciary_returned also produces a 行政处罚案件有关事项审批表; a second sample covers that matter.
JUDICIARY_RETURNED_SNAPSHOT: dict = _snapshot(
    "matter_approval",
    "行政处罚案件有关事项审批表",
    "事审",
    9,
    "2023-09-20",
    EBIKE_PARTY,
    EBIKE_ITEM,
    {
        "name": "judiciary_returned",
        "label": "公安机关不予立案退回",
        "input": {
            "reason": "上海市公安局浦东分局经审查认为，当事人销售金额未达到销售伪劣产品罪的立案追诉标准，"
            "决定不予立案（沪公浦不立字〔2023〕118号），并将案件退回本局依法处理。",
        },
    },
    LEADER,
    case=EBIKE_CASE,
    state_before="transferred",
    state_after="case_filed",
    deadline="2023-11-09",
)


def sample(kind: str) -> dict:
    """A deep copy of the sample snapshot of one kind, safe to change."""
    return copy.deepcopy(SAMPLE_SNAPSHOTS[kind])
