/**
 * The per-category totals of one window: the e-mart reducer. It folds `CategoryOrder`s as they come and
 * keeps only counters in integer cents, so its memory does not grow with the orders in the window and
 * money turns into dollars only on the wire.
 */
import { centsToAmount, MAX_AMOUNT_CENTS, MAX_AMOUNT_TEXT } from './money.js';
import type { Reducer, ReducerCreator } from './reducer.js';
import { itemsCents, type CategoryOrder, type TopProduct, type WindowResult } from './schemas.js';
import { formatWindow, type Window } from './window.js';

interface ProductTally {
  name: string;
  quantity: number;
}

export class CategoryTotals implements Reducer<CategoryOrder, WindowResult> {
  private categoryName = '';
  private orderCount = 0;
  private itemCount = 0;
  private totalCents = 0;
  // Keyed by product id, so bounded by the catalog, not by the number of orders.
  private readonly units = new Map<string, ProductTally>();

  constructor(
    readonly categoryId: string,
    readonly window: Window,
  ) {}

  /**
   * A window's sums must stay exact on the wire: a category order that would take the revenue past
   * MAX_AMOUNT_CENTS, or the units past 2^53, is refused whole with the reason, never rounded in.
   */
  refusal(categoryOrder: CategoryOrder): string | undefined {
    if (this.totalCents + itemsCents(categoryOrder.items) > MAX_AMOUNT_CENTS) {
      return `order ${categoryOrder.order_id} would take the revenue of ${this.categoryId} in this window past ${MAX_AMOUNT_TEXT}`;
    }
    if (this.itemCount + unitsOf(categoryOrder) > Number.MAX_SAFE_INTEGER) {
      return `order ${categoryOrder.order_id} would take the items of ${this.categoryId} in this window past ${Number.MAX_SAFE_INTEGER}`;
    }
    return undefined;
  }

  /** Folds a category order in; callers ask `refusal` first. */
  add(categoryOrder: CategoryOrder): void {
    this.categoryName = categoryOrder.category_name;
    this.orderCount += 1;
    for (const item of categoryOrder.items) {
      this.itemCount += item.quantity;
      this.totalCents += item.price_cents * item.quantity;
      const tally = this.units.get(item.product_id);
      if (tally) tally.quantity += item.quantity;
      else this.units.set(item.product_id, { name: item.name, quantity: item.quantity });
    }
  }

  get orders(): number {
    return this.orderCount;
  }

  result(): WindowResult | undefined {
    if (this.orderCount === 0) return undefined;
    return {
      ...formatWindow(this.window),
      category_id: this.categoryId,
      category_name: this.categoryName,
      order_count: this.orderCount,
      item_count: this.itemCount,
      total_amount: centsToAmount(this.totalCents),
      top_product: this.topProduct(),
    };
  }

  /** Most units sold; a tie goes to the lowest product id so results are reproducible. */
  private topProduct(): TopProduct {
    let top: TopProduct = { product_id: '', name: '', quantity: 0 };
    for (const [productId, tally] of this.units) {
      const better = tally.quantity > top.quantity || (tally.quantity === top.quantity && productId < top.product_id);
      if (better) top = { product_id: productId, name: tally.name, quantity: tally.quantity };
    }
    return top;
  }
}

function unitsOf(categoryOrder: CategoryOrder): number {
  let units = 0;
  for (const item of categoryOrder.items) units += item.quantity;
  return units;
}

export const createCategoryTotals: ReducerCreator<CategoryOrder, WindowResult> = (categoryId, window) => new CategoryTotals(categoryId, window);
