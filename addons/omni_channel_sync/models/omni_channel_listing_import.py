from odoo import models

# Listings written per round trip: one search of listings and one of products per batch.
IMPORT_BATCH = 500


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def action_import_listings(self):
        """Read the shop's catalog in a job (its pages are several calls), which tells the user what
        came."""
        self.ensure_one()
        return self._omni_answer_queued(
            lambda channel: channel._import_listings_answer(),
            lambda channel: channel._queue_job("_import_listings_job"),
        )

    def _import_listings_job(self):
        channel = self.sudo()  # the credentials and listings are the system's, whoever asked
        return channel._omni_job(channel._import_listings_answer, notify=True)

    def _import_listings_answer(self):
        counts = self._import_listings()
        message = self.env._(
            "%(created)s listing(s) created and %(updated)s updated from %(channel)s: %(matched)s matched "
            "to a product, %(unmatched)s without a product (filter Unmatched in Listings).",
            channel=self.name,
            **counts,
        )
        if counts["skipped"]:
            message += " " + self.env._(
                "%(count)s item(s) without a SKU skipped: give them one on the channel.",
                count=counts["skipped"],
            )
        return ("warning" if counts["unmatched"] or counts["skipped"] else "success"), message

    def _import_listings(self):
        """Create or update the channel's listings from its catalog, matching new ones to products.

        A listing is found by SKU, or by item and variation when the channel changed its SKU. A
        listing without a product is matched by the product's internal reference, then barcode; one
        that matches nothing is kept without product, for a user to match.

        :return: counts ``created``, ``updated``, ``matched``, ``unmatched``, ``skipped`` (no SKU)
        """
        self.ensure_one()
        fetched = self._call_adapter("fetch_listings")
        entries = list({entry["sku"]: entry for entry in fetched if entry["sku"]}.values())
        counts = dict.fromkeys(("created", "updated", "matched", "unmatched"), 0)
        counts["skipped"] = sum(1 for entry in fetched if not entry["sku"])
        for start in range(0, len(entries), IMPORT_BATCH):
            for key, count in self._import_listing_batch(entries[start : start + IMPORT_BATCH]).items():
                counts[key] += count
        return counts

    def _import_listing_batch(self, entries):
        Listing = self.env["omni.channel.listing"].with_context(active_test=False)
        skus = [entry["sku"] for entry in entries]
        listings = Listing.search(
            [
                ("channel_id", "=", self.id),
                "|",
                ("external_sku", "in", skus),
                ("external_item_id", "in", [str(entry["item_id"]) for entry in entries]),
            ]
        )
        by_sku = {listing.external_sku: listing for listing in listings}
        by_item = {
            (listing.external_item_id, listing.external_model_id or ""): listing for listing in listings
        }
        by_code, by_barcode = self._products_for(entries)
        counts = dict.fromkeys(("created", "updated", "matched", "unmatched"), 0)
        to_create = []
        for entry in entries:
            listing = by_sku.get(entry["sku"]) or by_item.get(
                (str(entry["item_id"]), entry["model_id"] or "")
            )
            values = {
                "external_sku": entry["sku"],
                "external_item_id": str(entry["item_id"]),
                "external_model_id": entry["model_id"] or False,
                "name": entry["name"],
            }
            if "sale_price" in entry:
                values["channel_price"] = float(entry["sale_price"] or 0.0)
            product = listing.product_id if listing else self.env["product.product"]
            if not product:
                product = by_code.get(entry["sku"]) or by_barcode.get(entry.get("barcode") or None)
                if product:
                    values["product_id"] = product.id
            counts["matched" if product else "unmatched"] += 1
            if not listing:
                to_create.append({"channel_id": self.id, **values})
                counts["created"] += 1
                continue
            changed = {
                name: value
                for name, value in values.items()
                if listing._fields[name].convert_to_write(listing[name], listing) != value
            }
            if changed:
                listing.write(changed)
                counts["updated"] += 1
        Listing.create(to_create)
        return counts

    def _products_for(self, entries):
        """The company's products the entries name, by internal reference and by barcode (one query)."""
        skus = [entry["sku"] for entry in entries]
        barcodes = [entry["barcode"] for entry in entries if entry.get("barcode")]
        products = self.env["product.product"].search(
            [
                ("company_id", "in", [False, self.company_id.id]),
                "|",
                ("default_code", "in", skus),
                ("barcode", "in", barcodes),
            ]
        )
        return _unique(products, "default_code"), _unique(products, "barcode")


def _unique(products, field):
    """``{value: product}`` for the values of ``field`` that name one product: a reference two products
    share matches neither, for a user to choose."""
    found = {}
    for product in products.filtered(field):
        found[product[field]] = product if product[field] not in found else None
    return {value: product for value, product in found.items() if product}
