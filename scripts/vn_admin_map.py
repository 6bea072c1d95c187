"""Builds omni_vn_address's data files from two public datasets of Vietnam's administrative map.

Run again when a decree changes the map, with the environment's Python (it reads the former
provinces from Odoo's base data):

    python scripts/vn_admin_map.py UNITS_SQL CONVERT_CSV CONVERTER_JSON UNITS_COMMIT CONVERT_COMMIT

- UNITS_SQL: ``postgresql/postgres_ImportData_vn_units.sql`` of thanglequoc/vietnamese-provinces-database
  (MIT): the 34 provinces and the wards of the two-level map, current decrees included.
- CONVERT_CSV: ``data/interim/convert_legacy_2025_simple.csv`` of tranngocminhhieu/vietnamadminunits
  (MIT): every ward of the 63-province map and the new ward it became.
- CONVERTER_JSON: ``vietnamadminunits/data/converter_2025.json`` of the same repository: for a ward
  split between several new wards, which one takes most of it (the default).

Writes data/res_country_state_data.xml, data/omni_vn_ward.csv and data/omni_vn_ward_map.csv.
"""

import ast
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "addons" / "omni_vn_address"
UNITS_REPO = "thanglequoc/vietnamese-provinces-database"
CONVERT_REPO = "tranngocminhhieu/vietnamadminunits"
KINDS = {"3": "ward", "4": "commune", "5": "special_zone"}
# Odoo's base data names a few old provinces its own way.
ODOO_NAMES = {"thuathienhue": "hue"}


def key(text):
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)))


def read_units(path):
    """``{table: [row tuple]}`` of the dataset's INSERT statements (one row a line)."""
    tables, table = defaultdict(list), None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("INSERT INTO "):
            table = line.split()[2].split("(")[0]
        elif table and line.startswith("("):
            tables[table].append(ast.literal_eval(line.rstrip(",;").replace("''", "\\'")))
    return tables


def odoo_old_states():
    """``{name key: xml id}`` of the 63 provinces of Odoo's base data."""
    import odoo  # noqa: PLC0415 - only the Odoo tree knows its base data

    base = Path(odoo.__file__).parent / "addons" / "base" / "data" / "res.country.state.csv"
    with base.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["country_id:id"] == "vn"]
    states = {}
    for row in rows:
        name = key(row["name"]).removeprefix("tp")
        states[ODOO_NAMES.get(name, name)] = "base." + row["id"]
    return states


def header(lines):
    return "".join(f"# {line}\n" for line in lines)


def main(units_sql, convert_csv, converter_json, units_commit, convert_commit):
    import json  # noqa: PLC0415

    units = read_units(units_sql)
    provinces = sorted(units["provinces"])
    wards = {row[0]: row for row in units["wards"]}
    with open(convert_csv, encoding="utf-8") as handle:
        mapping = list(csv.DictReader(handle))
    with open(converter_json, encoding="utf-8") as handle:
        divided = json.load(handle)["DICT_PROVINCE_WARD_DIVIDED"]

    # New ward codes the map changed since the conversion table was made: found again by name.
    by_name = {(row[6], key(row[3])): code for code, row in wards.items()}

    def new_code(row):
        code = row["newWardCode"].zfill(5)
        return code if code in wards else by_name[(row["newProvinceCode"].zfill(2), key(row["newWard"]))]

    defaults = {}
    for old_wards in divided.values():
        for old_key, targets in old_wards.items():
            for target in targets:
                if target["isDefaultNewWard"]:
                    defaults[old_key] = target["newWardKey"]

    old_states = odoo_old_states()
    old_provinces = {}
    rows = []
    for row in mapping:
        province_code = str(int(float(row["provinceCode"]))).zfill(2)
        old_provinces[province_code] = (row["province"], row["newProvinceCode"].zfill(2))
        ward_code = str(int(float(row["wardCode"]))).zfill(5) if row["wardCode"] else ""
        default = 1
        if row["isDividedWard"] == "True":
            old_key = "_".join(key(row[name]) for name in ("province", "district", "ward"))
            default = int(defaults.get(old_key, "") == key(row["newWard"]))
        rows.append(
            [
                ward_code,
                row["ward"],
                str(int(float(row["districtCode"]))).zfill(3),
                row["district"],
                province_code,
                new_code(row),
                default,
            ]
        )
    # A split ward the converter names no default for keeps its first new ward.
    seen = defaultdict(int)
    for row in rows:
        seen[(row[0], row[3])] += row[6]
    for row in rows:
        if not seen[(row[0], row[3])]:
            row[6] = seen[(row[0], row[3])] = 1

    units_source = f"{UNITS_REPO} (MIT licence, copyright Thang Le Quoc), commit {units_commit}"
    convert_source = f"{CONVERT_REPO} (MIT licence, copyright Tran Ngoc Minh Hieu), commit {convert_commit}"
    ward_file = ADDON / "data" / "omni_vn_ward.csv"
    with ward_file.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            header(
                [
                    "Wards and communes of Vietnam's two-level map (since 2025-07-01),",
                    "as of decree 30/2026/QH16.",
                    f"Source: {units_source}, postgresql/postgres_ImportData_vn_units.sql.",
                    "Generated by scripts/vn_admin_map.py. Columns: code, name, province code, kind.",
                ]
            )
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "province_code", "kind"])
        for code in sorted(wards):
            row = wards[code]
            writer.writerow([code, row[3], row[6], KINDS[str(row[7])]])
    map_file = ADDON / "data" / "omni_vn_ward_map.csv"
    with map_file.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            header(
                [
                    "Every ward of Vietnam's 63-province map and the ward of the 2025 map it became.",
                    f"Source: {convert_source},",
                    "data/interim/convert_legacy_2025_simple.csv; for a ward split between several new",
                    "wards, the default (largest share) of vietnamadminunits/data/converter_2025.json.",
                    f"New ward codes changed by later decrees are matched by name against {UNITS_REPO}.",
                    "Generated by scripts/vn_admin_map.py. Old codes are the statistics office's (province 2",
                    "digits, district 3, ward 5); an island district without wards has no ward code.",
                ]
            )
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "old_ward_code",
                "old_ward",
                "old_district_code",
                "old_district",
                "old_province_code",
                "new_ward_code",
                "default",
            ]
        )
        writer.writerows(rows)

    records = []
    for code, name, *_rest in provinces:
        records.append(
            f'    <record id="state_vn_{code}" model="res.country.state">\n'
            f'        <field name="country_id" ref="base.vn" />\n'
            f'        <field name="name">{name}</field>\n'
            f'        <field name="code">{code}</field>\n'
            f'        <field name="omni_vn_code">{code}</field>\n'
            f"    </record>"
        )
    for code, (name, new) in sorted(old_provinces.items()):
        xmlid = old_states[key(name).removeprefix("tinh").removeprefix("thanhpho")]
        records.append(
            f'    <record id="{xmlid}" model="res.country.state">\n'
            f'        <field name="omni_vn_code">{code}</field>\n'
            f'        <field name="omni_vn_replaced_by_id" ref="state_vn_{new}" />\n'
            f"    </record>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!--\n"
        "    The 34 provinces and cities of Vietnam since 2025-07-01 (official codes), and the province\n"
        "    each of the 63 former ones (Odoo's base data) joined.\n"
        f"    Sources: {units_source};\n"
        f"    {convert_source}.\n"
        "    Generated by scripts/vn_admin_map.py.\n"
        "-->\n"
        '<odoo noupdate="0">\n' + "\n".join(records) + "\n</odoo>\n"
    )
    (ADDON / "data" / "res_country_state_data.xml").write_text(xml, encoding="utf-8")
    print(
        f"{len(provinces)} provinces, {len(old_provinces)} former ones, {len(wards)} wards,",
        f"{len(rows)} mappings",
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
