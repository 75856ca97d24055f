"""The tables' labels as the statute prints them, for the places a person reads the results: the
review page and the spreadsheet. The titles, labels and headers themselves are
`table_recon/formats.py`'s; this only says how a table, a row and a column are named on screen."""

from __future__ import annotations

from disclosure.table_recon.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUP_LABELS,
    APPEAL_GROUPS,
    FORMATS,
    FormatSpec,
    RowSpec,
    field_key,
)


def group_label(group: str) -> str:
    """Table 四's group as its header lines print it, one line after the other."""
    return " ".join(APPEAL_GROUP_LABELS[group])


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
                        group_label(group), fmt.header("appeal", col))
            continue
        for row in table.rows:
            if row.collapses:
                continue
            for col in row.columns:
                labels[field_key(table.name, row.key, col)] = (row_label(row, table.name),
                                                               fmt.header(table.name, col))
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
            rows = [[group_label(g), [[fmt.header("appeal", c), field_key("appeal", "", f"{g}.{c}")]
                                      for c in APPEAL_COLUMNS]]
                    for g in APPEAL_GROUPS]
        else:
            rows = [[(" ".join(row.groups[-1:]) + " " if row.groups and table.name == "apply" else "") + row.label,
                     [[fmt.header(table.name, c), field_key(table.name, row.key, c)] for c in row.columns]]
                    for row in table.rows if not row.collapses]
        tables.append([table.title.printed, rows])
    return tables
