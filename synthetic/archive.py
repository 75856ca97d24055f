"""A generated archive: several agencies' reports over consecutive years, across the 2020 → 2021
change of format, with each year's carried-in equal to the year before's carried-over and each
year's documents in force following from the year before, except where a break is planted.

Each report's own rules hold; a planted break is a difference between two years only. Agencies
print their names as real ones do, differently in some years (the 2019 and 2021 spellings of one
office, full-width spaces), and files are named by nothing but a number, so only the printed
agency can group them. An agency may publish a year's report twice (a revised report).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from disclosure.table_recon.formats import APPLY_COLUMNS, FORMATS, field_key
from synthetic.flat_text import STYLES, render_text
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.values import Truth, random_truth

# each agency as it prints its name in format 2019 and in format 2021
AGENCY_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("宁波市镇海区人力资源和社会保障局", "宁波市镇海区人力资源社会保障局"),
    ("淮安市洪泽区人民政府", "淮安市洪泽区政府"),
    ("杭州市西湖区教育局", "杭州市西湖区\u3000教育局"),
    ("江苏省交通运输厅", "江苏省交通运输厅"),
    ("成都市武侯区市场监督管理局", "成都市武侯区市场监督管理局"),
)
CARRIED_COLUMNS = APPLY_COLUMNS[:-1]


@dataclass(frozen=True)
class PlantedBreak:
    agency: int  # index into AGENCY_SPELLINGS
    year: int  # the later year of the pair
    rule: str  # ties.carried_in.<col> (a column but the total) or ties.in_force.<row>

    def failing_rules(self) -> frozenset[str]:
        """A column's carried-in that differs also makes the total column's differ."""
        if self.rule.startswith("ties.carried_in."):
            return frozenset({self.rule, "ties.carried_in.total"})
        return frozenset({self.rule})


@dataclass(frozen=True)
class ArchiveDocument:
    path: Path
    truth: Truth
    agency: int
    revised: bool = False  # a second publication of the agency's report of that year


def _format_of(year: int):
    return FORMATS["2019"] if year <= 2020 else FORMATS["2021"]


def _next_inputs(truth: Truth) -> tuple[dict[str, int], dict[str, int]]:
    values = {k: (0 if v is None else v) for k, v in truth.values.items()}
    carried = {col: values[field_key("apply", "carried_over", col)] for col in CARRIED_COLUMNS}
    in_force = {row: values[field_key("active", row, "in_force")] for row in ("rules", "normative")
                if field_key("active", row, "in_force") in values}
    return carried, in_force


def _broken(carried: dict[str, int], in_force: dict[str, int], rule: str, rng: random.Random):
    carried, in_force = dict(carried), dict(in_force)
    shift = rng.choice([1, 2, 5])
    part = rule.rsplit(".", 1)[1]
    if rule.startswith("ties.carried_in."):
        carried[part] += shift
    else:
        in_force[part] += shift
    return carried, in_force


def agency_years(agency: int, first_year: int, years: int, seed: int,
                 breaks: tuple[PlantedBreak, ...] = ()) -> list[Truth]:
    """One agency's reports of consecutive years, tied to each other but where `breaks` say."""
    rng = random.Random(seed)
    truths: list[Truth] = []
    for year in range(first_year, first_year + years):
        carried, in_force = _next_inputs(truths[-1]) if truths else (None, None)
        for planted in breaks:
            if planted.agency == agency and planted.year == year and carried is not None:
                carried, in_force = _broken(carried, in_force, planted.rule, rng)
        fmt = _format_of(year)
        if fmt.name == "2019" or not in_force:
            in_force = None
        truth = random_truth(fmt, rng.randrange(1 << 30), blank_zeros=0.5, scale=12,
                             carried_in_from=carried, in_force_from=in_force)
        printed = AGENCY_SPELLINGS[agency][0 if fmt.name == "2019" else 1]
        truths.append(replace(truth, year=year, agency=printed))
    return truths


def write_archive(folder: Path, *, agencies: int = 4, first_year: int = 2019, years: int = 4, seed: int = 0,
                  breaks: tuple[PlantedBreak, ...] = (), revised: tuple[tuple[int, int], ...] = (),
                  style: str = "markers", as_pdf: tuple[tuple[int, int], ...] = ()) -> list[ArchiveDocument]:
    """Every agency's years as flattened text files under `folder`, named by a shuffled number;
    the (agency, year) pairs of `as_pdf` as born-digital PDFs. `revised` holds (agency, year)
    pairs whose report is published a second time, one number of it changed (a revision)."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for agency in range(agencies):
        for truth in agency_years(agency, first_year, years, seed * 100 + agency, breaks):
            documents.append(ArchiveDocument(Path(), truth, agency))
            if (agency, truth.year) in revised:
                values = dict(truth.values)
                key = field_key("appeal", "", "review.other")
                values[key] = (values[key] or 0) + 1  # keeps the carried-over and in-force figures
                values[field_key("appeal", "", "review.total")] = (values[field_key("appeal", "", "review.total")] or 0) + 1
                documents.append(ArchiveDocument(Path(), replace(truth, values=values), agency, revised=True))
    order = list(range(len(documents)))
    random.Random(seed).shuffle(order)
    out = []
    for number, document in zip(order, documents):
        if (document.agency, document.truth.year) in as_pdf and not document.revised:
            path = render_pdf(document.truth, PDF_STYLES["portrait"], folder / f"{number:05d}.pdf", number)
        else:
            path = folder / f"{number:05d}.txt"
            path.write_bytes(render_text(document.truth, STYLES[style], seed=number))
        out.append(replace(document, path=path))
    return out
