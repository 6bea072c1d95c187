"""Customer 360 benchmark: identity resolution and the duplicate scan.

- Resolution: 2,000 buyers resolved through ``res.partner._omni_resolve`` in batches of 100, as
  the order importer does (channel buyer id, phone, e-mail): in each batch half are new buyers,
  half are customers already known, who come back with their phone written another way. Beside it,
  in alternating batches of the same run, stock Odoo's ``res.partner.create`` of the same number of
  contacts (as the admin user), and 200 single ``api_resolve_customer`` calls of an integrator.
- Duplicate scan: 100,000 customers with a phone and an e-mail identity each are inserted in bulk
  with SQL (about 2% of them in pairs sharing a phone or an e-mail), then
  ``omni.merge.candidate._scan_duplicates()`` is timed. Beside it, stock Odoo's *Deduplicate
  Contacts* (``base.partner.merge.automatic.wizard``, grouped by e-mail) over the same contacts.
  The inserted rows are rolled back at the end.

Targets (shared/DESIGN.md §10): resolve ≥ 200 customers/s; duplicate scan over 100,000 partners ≤ 60 s.
"""

import random
import time

from common import Bench, integrator_env, verdict

from odoo.tools import SQL

CUSTOMERS = 2000
BATCH = 100
API_CALLS = 200
RESOLVE_TARGET = 200.0
SCAN_PARTNERS = 100000
# Partners n (0 to 99,999) with n % 200 in (0, 1) share a phone, in (100, 101) an e-mail:
# 2% of them, in 1,000 pairs.
SHARED_PAIRS = SCAN_PARTNERS // 200 * 2
SCAN_TARGET = 60.0


class Customer360Bench(Bench):
    def __init__(self, env):
        # Viettel mobiles 03x: a prefix of this run, so that a run on a kept database matches nobody old.
        self.phone_prefix = f"03{random.randint(2, 9)}{random.randint(0, 99):02d}"
        super().__init__(env)

    def _setup(self):
        env = self.env
        vnd = env.ref("base.VND")
        vnd.active = True
        pricelist = env["product.pricelist"].create({"name": f"Bench C360 {self.tag}", "currency_id": vnd.id})
        self.channel = env["omni.channel"].create(
            {
                "name": f"Bench C360 {self.tag}",
                "code": f"bench_c360_{self.tag}",
                "channel_type": "api",
                "pricelist_id": pricelist.id,
            }
        )
        self.stock_env = env(user=env.ref("base.user_admin").id)
        self.api_env = integrator_env(env, f"bench_c360_integrator_{self.tag}")
        env.cr.commit()

    # ------------------------------------------------------------------ buyers

    def _buyer(self, number):
        return {
            "number": number,
            "buyer_id": f"c360-{self.tag}-{number}",
            "name": f"Khách hàng {number:05d}",
            "phone": f"{self.phone_prefix}{number:05d}",
            "email": f"c360.{number:05d}.{self.tag}@example.vn",
        }

    def _identifiers(self, buyer, returning=False):
        if returning:
            # A known customer on another channel: no buyer id of this one, the phone written the
            # international way.
            return {"phone": f"+84 {buyer['phone'][1:]}", "email": buyer["email"].upper()}
        return {"buyer_id": buyer["buyer_id"], "phone": buyer["phone"], "email": buyer["email"]}

    def _contact(self, buyer):
        return self.env["res.partner"]._omni_contact_values(
            name=buyer["name"], phone=buyer["phone"], email=buyer["email"], channel=self.channel
        )

    # ------------------------------------------------------------------ resolution

    def _resolve_batch(self, buyers, returning):
        """Ours: one batch through _omni_resolve as the importer calls it, commit."""
        env = self.api_env
        env.invalidate_all()
        identifiers = [self._identifiers(b, returning=b["number"] in returning) for b in buyers]
        contacts = [self._contact(buyer) for buyer in buyers]
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        # sudo: as the importer, which works on the channel's sudo environment.
        resolutions = env["res.partner"].sudo()._omni_resolve(self.channel.sudo(), identifiers, contacts)
        env.cr.commit()
        elapsed = time.perf_counter() - started
        return resolutions, elapsed, env.cr.sql_log_count - queries

    def _stock_batch(self, buyers):
        """Stock Odoo: one contact per buyer with res.partner.create, commit."""
        env = self.stock_env
        env.invalidate_all()
        values = [self._contact(buyer) for buyer in buyers]
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        env["res.partner"].create(values)
        env.cr.commit()
        return time.perf_counter() - started, env.cr.sql_log_count - queries

    def run_resolution(self, problems):
        # Known customers the returning buyers are (not timed), and a warm-up of each path.
        known = self._buyers(CUSTOMERS // 2)
        for start in range(0, len(known), BATCH):
            batch = known[start : start + BATCH]
            self._resolve_batch(batch, returning=())
        partner_of = {
            buyer["number"]: partner_id
            for buyer, partner_id in zip(
                known, self._partner_ids([b["buyer_id"] for b in known]), strict=True
            )
        }
        self._stock_batch(self._buyers(20))
        self._resolve_batch(self._buyers(20), returning=())

        ours = {"count": 0, "seconds": 0.0, "queries": 0}
        stock = {"count": 0, "seconds": 0.0, "queries": 0}
        half = BATCH // 2
        for round_ in range(CUSTOMERS // BATCH):
            returning = known[round_ * half : (round_ + 1) * half]
            batch = returning + self._buyers(BATCH - half)

            def ours_side(batch=batch, returning=returning):
                resolutions, elapsed, queries = self._resolve_batch(
                    batch, returning={b["number"] for b in returning}
                )
                self._check_resolutions(batch, returning, resolutions, partner_of, problems)
                _add(ours, len(batch), elapsed, queries)

            def stock_side():
                elapsed, queries = self._stock_batch(self._buyers(BATCH))
                _add(stock, BATCH, elapsed, queries)

            sides = [ours_side, stock_side]
            for side in sides if round_ % 2 == 0 else reversed(sides):
                side()

        api = {"count": 0, "seconds": 0.0, "queries": 0}
        Partner = self.api_env["res.partner"]
        for buyer in self._buyers(API_CALLS):
            queries = self.env.cr.sql_log_count
            started = time.perf_counter()
            answer = Partner.api_resolve_customer(
                self._identifiers(buyer) | {"channel_code": self.channel.code}
            )
            self.env.cr.commit()
            _add(api, 1, time.perf_counter() - started, self.env.cr.sql_log_count - queries)
            if not answer["created"]:
                problems.append(f"api_resolve_customer matched a new buyer: {answer}")
                break
        return ours, stock, api

    def _partner_ids(self, buyer_ids):
        identities = self.env["omni.customer.identity"].search(
            [("kind", "=", "buyer_id"), ("channel_id", "=", self.channel.id), ("value", "in", buyer_ids)]
        )
        by_value = {identity.value: identity.partner_id.id for identity in identities}
        return [by_value.get(buyer_id) for buyer_id in buyer_ids]

    def _check_resolutions(self, batch, returning, resolutions, partner_of, problems):
        returning = {buyer["number"] for buyer in returning}
        for buyer, resolution in zip(batch, resolutions, strict=True):
            if buyer["number"] in returning:
                expected = (partner_of[buyer["number"]], False, "phone")
            else:
                expected = (resolution["partner"].id, True, None)
            got = (resolution["partner"].id, resolution["created"], resolution["matched_on"])
            if got != expected and len(problems) < 5:
                problems.append(f"buyer {buyer['number']}: resolved {got}, expected {expected}")

    # ------------------------------------------------------------------ duplicate scan

    def _insert_partners(self):
        """100,000 customers with a phone and an e-mail identity each, in three INSERTs."""
        cr = self.env.cr
        self.env.flush_all()
        started = time.perf_counter()
        prefix = f"scan-{self.tag}-"
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, ref, email, phone, active, type, is_company,
                                         customer_rank, supplier_rank, autopost_bills, lang,
                                         create_uid, write_uid, create_date, write_date)
                SELECT 'Khách ' || n, 'Khách ' || n, %(prefix)s || n,
                       'scan.' || (CASE WHEN mod(n, 200) IN (100, 101) THEN n - mod(n, 2) ELSE n END)
                           || '.' || %(tag)s || '@example.vn',
                       '081' || lpad(
                           (CASE WHEN mod(n, 200) IN (0, 1) THEN n - mod(n, 2) ELSE n END)::text, 7, '0'
                       ),
                       TRUE, 'contact', FALSE, 1, 0, 'ask', 'en_US',
                       1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM generate_series(0, %(count)s - 1) AS n
                """,
                prefix=prefix,
                tag=self.tag,
                count=SCAN_PARTNERS,
            )
        )
        cr.execute(
            SQL(
                "UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE %s",
                prefix + "%",
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO omni_customer_identity (partner_id, kind, value, raw_value, trust, last_seen_at,
                                                    create_uid, write_uid, create_date, write_date)
                SELECT p.id, k.kind,
                       CASE k.kind WHEN 'phone' THEN '+84' || substr(p.phone, 2) ELSE p.email END,
                       CASE k.kind WHEN 'phone' THEN p.phone ELSE p.email END, 'channel',
                       now() AT TIME ZONE 'UTC', 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM res_partner p CROSS JOIN (VALUES ('phone'), ('email')) AS k(kind)
                 WHERE p.ref LIKE %s
                """,
                prefix + "%",
            )
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE omni_customer_identity")
        self.env.invalidate_all()
        return time.perf_counter() - started

    def run_scan(self, problems):
        Candidate = self.env["omni.merge.candidate"]
        insert_seconds = self._insert_partners()
        started = time.perf_counter()
        found = Candidate._scan_duplicates()
        self.env.flush_all()
        scan_seconds = time.perf_counter() - started
        if not isinstance(found, int) or found < SHARED_PAIRS:
            problems.append(f"the scan found {found} candidate pairs, expected at least {SHARED_PAIRS}")

        started = time.perf_counter()
        wizard = (
            self.stock_env["base.partner.merge.automatic.wizard"]
            .with_context(active_model=False)
            .create({"group_by_email": True, "maximum_group": 0})
        )
        wizard.action_start_manual_process()
        stock_seconds = time.perf_counter() - started
        stock_groups = wizard.number_group
        # The 100,000 customers were only for the scan: leave the database as it was.
        self.env.cr.rollback()
        return insert_seconds, scan_seconds, found, stock_seconds, stock_groups

    # ------------------------------------------------------------------ report

    def run(self):
        problems = []
        ours, stock, api = self.run_resolution(problems)
        self._report_resolution(ours, stock, api)
        scan = self.run_scan(problems)
        self._report_scan(scan)
        print()
        resolve_ok = verdict("resolve (customers/s)", _rate(ours), RESOLVE_TARGET)
        scan_ok = verdict("duplicate scan (s)", scan[1], SCAN_TARGET, at_most=True)
        for problem in problems:
            print(f"CHECK FAILED: {problem}")
        return resolve_ok and scan_ok and not problems

    def _report_resolution(self, ours, stock, api):
        print(f"{'phase':<46} {'customers':>9} {'seconds':>8} {'per s':>8} {'queries/each':>12}")
        for label, side in (
            ("_omni_resolve, batches of 100 (½ new, ½ known)", ours),
            ("stock Odoo: res.partner.create, batches of 100", stock),
            ("api_resolve_customer, one call each", api),
        ):
            print(
                f"{label:<46} {side['count']:>9} {side['seconds']:>8.2f} {_rate(side):>8.1f} "
                f"{side['queries'] / max(side['count'], 1):>12.1f}"
            )
        print(f"ratio resolve / stock create: {_rate(ours) / max(_rate(stock), 1e-9):.2f}", flush=True)

    def _report_scan(self, scan):
        insert_seconds, scan_seconds, found, stock_seconds, stock_groups = scan
        print()
        print(f"{'duplicate scan over':<46} {'partners':>9} {'seconds':>8} {'found':>8}")
        print(f"{'bulk SQL insert (setup, not timed)':<46} {SCAN_PARTNERS:>9} {insert_seconds:>8.2f}")
        print(
            f"{'omni.merge.candidate._scan_duplicates()':<46} {SCAN_PARTNERS:>9} "
            f"{scan_seconds:>8.2f} {found:>8}"
        )
        print(
            f"{'stock Odoo: Deduplicate Contacts (e-mail)':<46} {SCAN_PARTNERS:>9} {stock_seconds:>8.2f} "
            f"{stock_groups:>8}"
        )


def _add(side, count, seconds, queries):
    side["count"] += count
    side["seconds"] += seconds
    side["queries"] += queries


def _rate(side):
    return side["count"] / side["seconds"] if side["seconds"] else 0.0


def run(env, options):
    return Customer360Bench(env).run()
