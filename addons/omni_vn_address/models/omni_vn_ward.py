import csv
from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, file_open, ormcache

from ..tools.names import name_key, name_keys, name_parts

KINDS = [("ward", "Ward"), ("commune", "Commune"), ("special_zone", "Special Zone")]
# Rows a statement inserts when the map is loaded.
LOAD_BATCH = 1000


class OmniVnWard(models.Model):
    """A ward, commune or special zone of Vietnam's two-level map (since 2025-07-01).

    Loaded from data/omni_vn_ward.csv, with the former wards each became (data/omni_vn_ward_map.csv),
    by plain SQL at install and update: 3,321 wards and 10,602 former ones are loaded in about a second,
    where one ORM record and external id each would take minutes.
    """

    _name = "omni.vn.ward"
    _description = "Vietnamese Ward (2025 map)"
    _order = "state_id, name, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, readonly=True)
    code = fields.Char(required=True, readonly=True, help="The statistics office's five-digit code.")
    state_id = fields.Many2one(
        "res.country.state", string="Province", required=True, index=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    map_ids = fields.One2many("omni.vn.ward.map", "ward_id", string="Former Wards", readonly=True)
    # Matched with ilike on any part of it: a trigram index (where PostgreSQL has pg_trgm) is the one
    # that serves such a search. Not Odoo's unaccent, which needs an extension and a server option.
    search_key = fields.Char(
        compute="_compute_search_key",
        store=True,
        index="trigram",
        help="The name without accents, prefix or spaces (benthanh for Phường Bến Thành): a name typed "
        "without accents finds the ward.",
    )

    _sql_constraints = [("code_unique", "UNIQUE(code)", "A ward code is unique.")]

    @api.depends("name")
    def _compute_search_key(self):
        for ward in self:
            ward.search_key = name_key(ward.name)

    @api.model
    def _search_display_name(self, operator, value):
        """A ward is found however its name is typed: "ben thanh", "P. Ben Thanh", "BẾN THÀNH"."""
        domain = super()._search_display_name(operator, value)
        key = operator == "ilike" and isinstance(value, str) and name_key(value)
        return expression.OR([domain, [("search_key", "ilike", key)]]) if key else domain

    # ------------------------------------------------------------------ lookup

    @api.model
    def _omni_vn_find(self, province=None, district=None, ward=None):
        """The ward of the 2025 map of an address in either form, or an empty recordset.

        :param province: a ``res.country.state`` (former or 2025), a name as anyone writes it or a code
            (2025 or former statistics office code, Odoo's ``VN-SG``)
        :param district: the former district (name or code); empty for an address of the 2025 form
        :param ward: the ward (name or five-digit code), former or 2025
        """
        index = self._omni_vn_index()
        ward = (ward or "").strip()
        district = (district or "").strip()
        states = self._omni_vn_states(index, province)
        new_states = {index["new_of"][state] for state in states} or set(index["olds_of"])
        # A former province is itself; a 2025 one (or no province) stands for every province it joined.
        old_states = {
            old
            for state in states or index["olds_of"]
            for old in ((state,) if index["new_of"][state] != state else index["olds_of"][state])
        }
        if ward.isdigit():
            code = ward.zfill(5)
            found = (
                (index["map_by_code"].get(code) if district else None)
                or index["ward_by_code"].get(code)
                or index["map_by_code"].get(code)
            )
            return self.browse(found)
        ward_key, kind, toned = name_parts(ward)
        if not ward_key:
            # An island district of the former map became one special zone and had no wards.
            found = self._omni_vn_pick(index["map_by_district"], old_states, name_key(district), "", "")
            return self.browse(found if len(found) == 1 else ())
        steps = [(index["wards_by_key"], new_states, ward_key), (index["map_by_ward"], old_states, ward_key)]
        if district:
            district_key = district.zfill(3) if district.isdigit() else name_key(district)
            steps.insert(0, (index["map_by_names"], old_states, (district_key, ward_key)))
        # The first step that knows the name answers; if it knows several wards by it, nobody guesses.
        for table, scope, key in steps:
            found = self._omni_vn_pick(table, scope, key, kind, toned)
            if found:
                return self.browse(found if len(found) == 1 else ())
        return self.browse()

    @api.model
    def _omni_vn_province(self, province):
        """The 2025 province of a province in either form, or an empty recordset if it is ambiguous."""
        index = self._omni_vn_index()
        new_states = {index["new_of"][state] for state in self._omni_vn_states(index, province)}
        return self.env["res.country.state"].browse(new_states.pop() if len(new_states) == 1 else ())

    @api.model
    def _omni_vn_is_former(self, province):
        """Whether a province (record, name or code) is one of the former map only."""
        index = self._omni_vn_index()
        states = self._omni_vn_states(index, province)
        return bool(states) and all(index["new_of"][state] != state for state in states)

    @api.model
    def _omni_vn_states(self, index, province):
        if isinstance(province, models.BaseModel):
            return {state for state in province.ids if state in index["new_of"]}
        text = (province or "").strip()
        if not text:
            return set()
        state = index["state_by_code"].get(text.upper()) or index["state_by_code"].get(text.zfill(2))
        return {state} if state else set(index["states_by_key"].get(name_key(text), ()))

    def _omni_vn_pick(self, table, states, key, kind, toned):
        """The wards ``key`` leads to in ``states``, narrowed to the name's kind and tones if it has them."""
        found = {entry for state in states for entry in table.get((state, key), ())}
        for position, wanted in ((1, kind), (2, toned)):
            if len({entry[0] for entry in found}) > 1 and wanted:
                found = {entry for entry in found if entry[position] == wanted} or found
        return {entry[0] for entry in found}

    @api.model
    @ormcache()
    def _omni_vn_index(self):
        """Every key a lookup uses, built once per worker (the map changes only with the module)."""
        State = self.env["res.country.state"].sudo()
        states = State.search([("country_id.code", "=", "VN")])
        index = defaultdict(lambda: defaultdict(set))
        new_of = {state.id: (state.omni_vn_replaced_by_id or state).id for state in states}
        olds_of = {
            state.id: [] for state in states if state.omni_vn_code and not state.omni_vn_replaced_by_id
        }
        for state in states:
            if state.omni_vn_replaced_by_id:
                olds_of[new_of[state.id]].append(state.id)
            for key in name_keys(state.name):
                index["states_by_key"][key].add(state.id)
        state_by_code = {state.code.upper(): state.id for state in states}
        # The 2025 codes win over the former ones they share ("79" is Ho Chi Minh City in both).
        for state in states.sorted(lambda state: not state.omni_vn_replaced_by_id):
            if state.omni_vn_code:
                state_by_code[state.omni_vn_code] = state.id
        self.env.cr.execute(SQL("SELECT id, code, name, state_id FROM omni_vn_ward"))
        ward_by_code = {}
        for ward_id, code, name, state_id in self.env.cr.fetchall():
            ward_by_code[code] = ward_id
            entry = (ward_id, *name_parts(name)[1:])
            for key in name_keys(name):
                index["wards_by_key"][(state_id, key)].add(entry)
        self.env.cr.execute(
            SQL(
                """SELECT old_ward_code, old_ward, old_district_code, old_district, old_state_id, ward_id
                     FROM omni_vn_ward_map
                    WHERE is_default"""
            )
        )
        map_by_code = {}
        for ward_code, ward, district_code, district, state_id, ward_id in self.env.cr.fetchall():
            if not ward_code:
                for key in name_keys(district):
                    index["map_by_district"][(state_id, key)].add((ward_id, "", ""))
                continue
            map_by_code[ward_code] = ward_id
            entry = (ward_id, *name_parts(ward)[1:])
            for key in name_keys(ward):
                index["map_by_ward"][(state_id, key)].add(entry)
                index["map_by_names"][(state_id, (district_code, key))].add(entry)
                for district_key in name_keys(district):
                    index["map_by_names"][(state_id, (district_key, key))].add(entry)
        frozen = {name: {key: tuple(value) for key, value in table.items()} for name, table in index.items()}
        frozen.update(
            new_of=new_of,
            olds_of={new: tuple(olds) for new, olds in olds_of.items()},
            state_by_code=state_by_code,
            ward_by_code=ward_by_code,
            map_by_code=map_by_code,
        )
        for name in ("wards_by_key", "map_by_ward", "map_by_names", "map_by_district", "states_by_key"):
            frozen.setdefault(name, {})
        return frozen

    # ------------------------------------------------------------------ data

    @api.model
    def _omni_vn_load_data(self):
        """Loads (again) the wards and the former wards from the module's CSV files, by code."""
        states = self.env["res.country.state"].search(
            [("country_id.code", "=", "VN"), ("omni_vn_code", "!=", False)]
        )
        new_states = {state.omni_vn_code: state.id for state in states if not state.omni_vn_replaced_by_id}
        old_states = {state.omni_vn_code: state.id for state in states if state.omni_vn_replaced_by_id}
        cr = self.env.cr
        audit = (self.env.uid, self.env.uid, fields.Datetime.now(), fields.Datetime.now())
        wards = [
            (row["code"], row["name"], new_states[row["province_code"]], row["kind"], name_key(row["name"]))
            for row in _read_csv("omni_vn_address/data/omni_vn_ward.csv")
        ]
        _insert(
            cr,
            """omni_vn_ward (code, name, state_id, kind, search_key,
                           create_uid, write_uid, create_date, write_date)""",
            [ward + audit for ward in wards],
            """ON CONFLICT (code) DO UPDATE
                  SET name = EXCLUDED.name, state_id = EXCLUDED.state_id, kind = EXCLUDED.kind,
                      search_key = EXCLUDED.search_key,
                      write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
        )
        cr.execute(SQL("SELECT code, id FROM omni_vn_ward"))
        ward_ids = dict(cr.fetchall())
        cr.execute(SQL("DELETE FROM omni_vn_ward_map"))
        former = [
            (
                row["old_ward_code"] or None,
                row["old_ward"] or None,
                row["old_district_code"],
                row["old_district"],
                row["old_province_code"],
                old_states[row["old_province_code"]],
                ward_ids[row["new_ward_code"]],
                row["default"] == "1",
            )
            for row in _read_csv("omni_vn_address/data/omni_vn_ward_map.csv")
        ]
        _insert(
            cr,
            """omni_vn_ward_map (old_ward_code, old_ward, old_district_code, old_district, old_province_code,
                                 old_state_id, ward_id, is_default,
                                 create_uid, write_uid, create_date, write_date)""",
            [row + audit for row in former],
        )
        self.env["omni.vn.ward"].invalidate_model()
        self.env["omni.vn.ward.map"].invalidate_model()
        self.env.registry.clear_cache()


def _insert(cr, into, rows, conflict=""):
    """INSERT INTO ``into`` the value tuples ``rows``, ``LOAD_BATCH`` at a time (thousands of rows:
    one statement each batch, not one per row)."""
    for start in range(0, len(rows), LOAD_BATCH):
        values = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(SQL("%s", value) for value in row))
            for row in rows[start : start + LOAD_BATCH]
        )
        cr.execute(SQL(f"INSERT INTO {into} VALUES %s {conflict}", values))


def _read_csv(path):
    """The rows of one of the module's data files, past its header of ``#`` comments (source, licence)."""
    with file_open(path, "rb") as handle:
        lines = handle.read().decode("utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))
