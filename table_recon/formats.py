"""The statutory formats as data: tables with their titles and numbering, rows, column headers,
label patterns and field keys.

A later format or a provincial variant is one more `FormatSpec` (or more patterns on a row) here;
nothing else needs to know the layout of the tables, nor how they are titled and headed: the
reader, the warnings, the terminal, the review page and the workbook all name them from here.

Patterns are regular expressions over a label normalised by `layout.cell_text.normalize_text(…,
label=True)` (NFKC, no spaces or quotes, "、" and "，" as ".", brackets as ASCII "()"). When a
row's label text contains several patterns, the match that ends last wins: the text before it is
headers and group headings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field


# Specs are module-level constants compared by identity: eq=False keeps hashing them cheap for caches.
@dataclass(frozen=True, eq=False)
class RowSpec:
    key: str  # "" for the single unlabelled row of table 四
    label: str  # the label as the statute prints it
    patterns: tuple[str, ...]
    columns: tuple[str, ...]
    outcome: bool = False  # part of 三、本年度办理结果, summed by apply.outcome_sum
    groups: tuple[str, ...] = ()  # headings printed over this row (merged label cells), outermost first
    # a variant row printing the sum of other rows (a collapsed group), not a key of its own
    collapses: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableTitle:
    """How a statutory table is titled: its number in the report's outline, its heading's words as
    the statute prints them, and the short name the warnings, the terminal and the workbook use."""

    numeral: str  # "二", "三", "四"
    words: str  # "主动公开政府信息情况"
    short: str  # "主动公开"
    pattern: str = ""  # what finds the heading in a normalised line, where more than its words

    @property
    def printed(self) -> str:
        """The heading line as the statute prints it: "二、主动公开政府信息情况"."""
        return f"{self.numeral}、{self.words}"

    @property
    def heading(self) -> str:
        """The pattern that finds the heading in a line normalised as a label."""
        return self.pattern or re.escape(self.words)


@dataclass(frozen=True, eq=False)
class TableSpec:
    name: str  # "active", "apply", "appeal": the first part of every key
    rows: tuple[RowSpec, ...]

    @property
    def title(self) -> TableTitle:
        return TABLE_TITLES[self.name]

    @property
    def heading(self) -> str:
        """The pattern of the section heading that opens the table."""
        return self.title.heading

    def row_keys(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.rows if not row.collapses)

    def field_keys(self, row: RowSpec) -> tuple[str, ...]:
        return _field_keys(self.name, row)


@dataclass(frozen=True, eq=False)
class FormatSpec:
    name: str
    years: tuple[int, int]  # first and last report year printed in this format
    markers: tuple[str, ...]  # labels found only in this format
    tables: tuple[TableSpec, ...] = field(repr=False)
    column_labels: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (col key, printed header)

    def column_label(self, col: str) -> str:
        """A column's header, the format's own (table 二's) before the common ones; "total" is 总计."""
        return dict(self.column_labels + _COMMON_COLUMN_LABELS)[col]

    def header(self, table: str, col: str) -> str:
        """A column's header as its table prints it: table 二's "total" is 对外公开总数量, table
        四's "other" 其他结果."""
        if table == "active":
            return dict(self.column_labels).get(col) or self.column_label(col)
        if table == "appeal":
            return dict(APPEAL_COLUMN_LABELS)[col]
        return self.column_label(col)

    @functools.cached_property
    def _keys(self) -> tuple[str, ...]:
        return tuple(key for table in self.tables for row in table.rows if not row.collapses
                     for key in table.field_keys(row))

    def keys(self) -> tuple[str, ...]:
        return self._keys

    def table(self, name: str) -> TableSpec:
        return next(t for t in self.tables if t.name == name)


def field_key(table: str, row: str, col: str) -> str:
    return ".".join(part for part in (table, row, col) if part)


@functools.lru_cache(maxsize=None)
def _field_keys(table: str, row: RowSpec) -> tuple[str, ...]:
    return tuple(field_key(table, row.key, col) for col in row.columns)


# The three tables' titles, in the order a report prints them (table 一 is the prose's 总体情况)
TABLE_TITLES: dict[str, TableTitle] = {
    "active": TableTitle("二", "主动公开政府信息情况", "主动公开"),
    "apply": TableTitle("三", "收到和处理政府信息公开申请情况", "依申请公开"),
    # by meaning: a stray character around 复议 (行政法复议, a crawled page's typo) is still this heading
    "appeal": TableTitle("四", "政府信息公开行政复议、行政诉讼情况", "复议诉讼",
                         pattern=r"政府信息公开行政.?复议.?.?行政诉讼情况"),
}

# Column headers, (column key, printed header), in printed order; table 二's are each format's own
APPLY_COLUMN_LABELS = (
    ("natural", "自然人"), ("business", "商业企业"), ("research", "科研机构"), ("ngo", "社会公益组织"),
    ("legal", "法律服务机构"), ("other", "其他"), ("total", "总计"),
)
APPEAL_COLUMN_LABELS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                        ("pending", "尚未审结"), ("total", "总计"))
# table 四's three groups of five columns, each headed by one or two lines
APPEAL_GROUP_LABELS: dict[str, tuple[str, ...]] = {
    "review": ("行政复议",), "litigation_direct": ("行政诉讼", "未经复议直接起诉"),
    "litigation_after_review": ("行政诉讼", "复议后起诉"),
}
# the headers over the headers: table 二's label column, table 三's applicant columns and the note
# under its title
ACTIVE_LABEL_HEADER = "信息内容"
APPLY_COLUMN_GROUPS = ("申请人情况", "法人或其他组织")
APPLY_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

APPLY_COLUMNS = tuple(col for col, _ in APPLY_COLUMN_LABELS)
APPEAL_GROUPS = tuple(APPEAL_GROUP_LABELS)
APPEAL_COLUMNS = tuple(col for col, _ in APPEAL_COLUMN_LABELS)

RESULT_GROUP = "三、本年度办理结果"
APPLY_GROUPS = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "rejected": "（五）不予处理",
                "other_handling": "（六）其他处理"}
# what `FormatSpec.column_label` falls back on: table 三's headers, then table 四's it lacks
_COMMON_COLUMN_LABELS = APPLY_COLUMN_LABELS + tuple(
    (col, label) for col, label in APPEAL_COLUMN_LABELS if col not in dict(APPLY_COLUMN_LABELS))


def _apply_rows(other_handling: tuple[RowSpec, ...]) -> tuple[RowSpec, ...]:
    def row(key: str, label: str, *patterns: str, outcome: bool = True) -> RowSpec:
        group = key.split(".")[0]
        groups = (RESULT_GROUP, *((APPLY_GROUPS[group],) if group in APPLY_GROUPS else ())) if outcome else ()
        return RowSpec(key, label, patterns, APPLY_COLUMNS, outcome=outcome, groups=groups)

    return (
        row("received", "一、本年新收政府信息公开申请数量", r"本年新收", r"新收政府信息公开申请", outcome=False),
        row("carried_in", "二、上年结转政府信息公开申请数量", r"上年结转", outcome=False),
        row("granted", "（一）予以公开", r"予以公开$", r"\(一\)予以公开"),
        row("partial", "（二）部分公开", r"部分公开"),
        row("denied.state_secret", "1.属于国家秘密", r"国家秘密"),
        row("denied.law_prohibited", "2.其他法律行政法规禁止公开", r"法律行政法规禁止", r"法规禁止公开",
            r"其他法律行政"),
        row("denied.security_stability", "3.危及“三安全一稳定”", r"三安全一稳定", r"危及"),
        row("denied.third_party", "4.保护第三方合法权益", r"第三方合法权益", r"保护第三方"),
        row("denied.internal_affairs", "5.属于三类内部事务信息", r"内部事务"),
        row("denied.process_info", "6.属于四类过程性信息", r"过程性信息"),
        row("denied.enforcement_file", "7.属于行政执法案卷", r"行政执法案卷"),
        row("denied.admin_query", "8.属于行政查询事项", r"行政查询事项"),
        row("unavailable.not_held", "1.本机关不掌握相关政府信息", r"不掌握相关"),
        row("unavailable.needs_creation", "2.没有现成信息需要另行制作", r"没有现成信息", r"另行制作"),
        row("unavailable.unclear", "3.补正后申请内容仍不明确", r"补正后申请内容", r"仍不明确"),
        row("rejected.complaint", "1.信访举报投诉类申请", r"信访举报投诉"),
        row("rejected.duplicate", "2.重复申请", r"重复申请$", r"\d\.重复申请"),
        row("rejected.publication", "3.要求提供公开出版物", r"公开出版物"),
        row("rejected.excessive", "4.无正当理由大量反复申请", r"大量反复", r"无正当理由大量"),
        row("rejected.confirmation", "5.要求行政机关确认或重新出具已获取信息", r"确认或重新出具",
            r"已获取信息$", r"要求行政机关确认"),
        *other_handling,
        row("total", "（七）总计", r"\(七\)总计", r"^七\.?总计", outcome=False),
        row("carried_over", "四、结转下年度继续办理", r"结转下年度", outcome=False),
    )


_OTHER_HANDLING_2019 = (
    RowSpec("other_handling", "（六）其他处理", (r"其他处理$",), APPLY_COLUMNS, outcome=True,
            groups=(RESULT_GROUP,)),
)
_OH_GROUPS = (RESULT_GROUP, "（六）其他处理")
_OTHER_HANDLING_2021_KEYS = ("other_handling.no_correction", "other_handling.no_fee", "other_handling.other")
_OTHER_HANDLING_2021 = (
    RowSpec("other_handling.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            (r"逾期不补正", r"不补正"), APPLY_COLUMNS, outcome=True, groups=_OH_GROUPS),
    RowSpec("other_handling.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            (r"缴纳费用", r"收费通知"), APPLY_COLUMNS, outcome=True, groups=_OH_GROUPS),
    RowSpec("other_handling.other", "3.其他", (r"\d\.其他$",), APPLY_COLUMNS, outcome=True,
            groups=_OH_GROUPS),
    # Some templates print （六）其他处理 as one row: its cells are the sum of the three above.
    RowSpec("other_handling", "（六）其他处理", (r"其他处理$",), APPLY_COLUMNS, outcome=True,
            collapses=_OTHER_HANDLING_2021_KEYS, groups=(RESULT_GROUP,)),
)

_APPEAL = TableSpec(
    "appeal",
    (RowSpec("", "（一行十五个数）", (r"",), tuple(f"{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_COLUMNS)),),
)


def _active_row(block: str, key: str, label: str, patterns: tuple[str, ...], columns: tuple[str, ...]) -> RowSpec:
    return RowSpec(key, label, patterns, columns, groups=(f"第二十条第（{block}）项",))


_RULES_PATTERNS = (r"规章",)
_NORMATIVE_PATTERNS = (r"规范性文件",)
_FIVE_SIX = ("prev", "delta", "decisions")

FORMAT_2019 = FormatSpec(
    name="2019",
    years=(2019, 2020),
    markers=("本年新制作数量", "对外公开总数量", "上一年项目数量", "第二十条第(九)项", "采购总金额", "政府集中采购"),
    tables=(
        TableSpec("active", (
            _active_row("一", "rules", "规章", _RULES_PATTERNS, ("made", "published", "total")),
            _active_row("一", "normative", "规范性文件", _NORMATIVE_PATTERNS, ("made", "published", "total")),
            _active_row("五", "license", "行政许可", (r"行政许可",), _FIVE_SIX),
            _active_row("五", "service", "其他对外管理服务事项", (r"对外管理服务",), _FIVE_SIX),
            _active_row("六", "penalty", "行政处罚", (r"行政处罚",), _FIVE_SIX),
            _active_row("六", "coercion", "行政强制", (r"行政强制",), _FIVE_SIX),
            _active_row("八", "fee", "行政事业性收费", (r"事业性收费",), ("prev", "delta")),
            _active_row("九", "procurement", "政府集中采购", (r"集中采购",), ("items", "amount")),
        )),
        TableSpec("apply", _apply_rows(_OTHER_HANDLING_2019)),
        _APPEAL,
    ),
    column_labels=(("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"),
                   ("prev", "上一年项目数量"), ("delta", "本年增/减"), ("decisions", "处理决定数量"),
                   ("items", "采购项目数量"), ("amount", "采购总金额")),
)

FORMAT_2021 = FormatSpec(
    name="2021",
    years=(2021, 9999),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正"),
    tables=(
        TableSpec("active", (
            _active_row("一", "rules", "规章", _RULES_PATTERNS, ("issued", "repealed", "in_force")),
            _active_row("一", "normative", "行政规范性文件", _NORMATIVE_PATTERNS, ("issued", "repealed", "in_force")),
            _active_row("五", "license", "行政许可", (r"行政许可",), ("decisions",)),
            _active_row("六", "penalty", "行政处罚", (r"行政处罚",), ("decisions",)),
            _active_row("六", "coercion", "行政强制", (r"行政强制",), ("decisions",)),
            _active_row("八", "fee", "行政事业性收费", (r"事业性收费",), ("amount",)),
        )),
        TableSpec("apply", _apply_rows(_OTHER_HANDLING_2021)),
        _APPEAL,
    ),
    column_labels=(("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"),
                   ("decisions", "本年处理决定数量"), ("amount", "本年收费金额（单位：万元）")),
)

FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in (FORMAT_2019, FORMAT_2021)}
