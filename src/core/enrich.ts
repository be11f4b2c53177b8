/** Enrichment: an order becomes one `CategoryOrder` per category it touches, priced from the catalog. */
import { findCategory, findProduct } from './catalog.js';
import type { Parsed } from './parse.js';
import type { CategoryOrder, Order } from './schemas.js';

export function enrich(order: Order): Parsed<CategoryOrder[]> {
  const byCategory = new Map<string, CategoryOrder>();
  for (const item of order.items) {
    const product = findProduct(item.product_id);
    if (!product) return { ok: false, reason: `unknown product "${item.product_id}"` };
    let categoryOrder = byCategory.get(product.categoryId);
    if (!categoryOrder) {
      categoryOrder = {
        order_id: order.id,
        order_time: order.order_time,
        category_id: product.categoryId,
        // The catalog is one table, so a product's category always exists.
        category_name: findCategory(product.categoryId)!.name,
        items: [],
      };
      byCategory.set(product.categoryId, categoryOrder);
    }
    categoryOrder.items.push({
      product_id: product.id,
      name: product.name,
      quantity: item.quantity,
      price_cents: discounted(product.priceCents, item.discount_pct),
    });
  }
  const value = [...byCategory.values()].sort((a, b) => compareText(a.category_id, b.category_id));
  return { ok: true, value };
}

/** A flash sale's price, rounded to the cent (half up), so every part that enriches agrees on it. */
export function discounted(priceCents: number, discountPct: number | undefined): number {
  return discountPct === undefined ? priceCents : Math.round((priceCents * (100 - discountPct)) / 100);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
