"""The tables' labels as the statute prints them, for the places a person reads the results: the
review page and the spreadsheet. The labels themselves are `table_recon/formats.py`'s; this only
says how a table, a row and a column are named on screen."""

from __future__ import annotations

from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, FORMATS, FormatSpec, RowSpec, field_key

TABLE_TITLES = {"active": "二、主动公开政府信息情况", "apply": "三、收到和处理政府信息公开申请情况",
                "appeal": "四、政府信息公开行政复议、行政诉讼情况"}
GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
                "litigation_after_review": "行政诉讼 复议后起诉"}
_APPEAL_COLUMN_LABELS = {"other": "其他结果", "total": "总计"}  # where table 四 prints its own word


def column_label(fmt: FormatSpec, table: str, col: str) -> str:
    if table == "active":  # the format's own headers: its "total" is 对外公开总数量, not 总计
        return dict(fmt.column_labels).get(col) or fmt.column_label(col)
    if table == "appeal":
        return _APPEAL_COLUMN_LABELS.get(col) or fmt.column_label(col)
    return fmt.column_label(col)


def row_label(row: RowSpec, table: str) -> str:
    """A row's label with the heading printed over it (第二十条第（一）项, （三）不予公开 …)."""
    return " ".join(row.groups[-1:] + (row.label,)) if table != "appeal" else row.label


def field_labels(fmt: FormatSpec) -> dict[str, tuple[str, str]]:
    """Each field of a format as (row label, column label), in the order the tables print them."""
    labels: dict[str, tuple[str, str]] = {}
    for table in fmt.tables:
        if table.name == "appeal":
            for group in APPEAL_GROUPS:
                for col in APPEAL_COLUMNS:
                    labels[field_key("appeal", "", f"{group}.{col}")] = (
                        GROUP_LABELS[group], column_label(fmt, "appeal", col))
            continue
        for row in table.rows:
            if row.collapses:
                continue
            for col in row.columns:
                labels[field_key(table.name, row.key, col)] = (row_label(row, table.name),
                                                               column_label(fmt, table.name, col))
    return labels


def table_fields(table: str) -> dict[str, tuple[str, str]]:
    """Every field of one table across the formats, newest format first, each with its labels
    there (a key both formats have is labelled as the newer prints it)."""
    fields: dict[str, tuple[str, str]] = {}
    for fmt in sorted(FORMATS.values(), key=lambda f: f.years, reverse=True):
        for key, labels in field_labels(fmt).items():
            if key.split(".")[0] == table:
                fields.setdefault(key, labels)
    return fields


def layout(fmt: FormatSpec) -> list:
    """Each table as rows of (label, [(column label, key)]): what the review page draws a report with."""
    tables = []
    for table in fmt.tables:
        if table.name == "appeal":
            rows = [[GROUP_LABELS[g], [[fmt.column_label(c) if c != "total" else "总计",
                                        field_key("appeal", "", f"{g}.{c}")] for c in APPEAL_COLUMNS]]
                    for g in APPEAL_GROUPS]
        else:
            rows = [[(" ".join(row.groups[-1:]) + " " if row.groups and table.name == "apply" else "") + row.label,
                     [[fmt.column_label(c), field_key(table.name, row.key, c)] for c in row.columns]]
                    for row in table.rows if not row.collapses]
        tables.append([TABLE_TITLES[table.name], rows])
    return tables
