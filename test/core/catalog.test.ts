import { describe, expect, it } from 'vitest';
import { CATEGORIES, PRODUCTS, findCategory, findProduct } from '../../src/core/catalog.js';

describe('catalog', () => {
  it('has the eight e-mart categories in order', () => {
    expect(CATEGORIES.map((c) => `${c.id} ${c.name}`)).toEqual([
      "cate-001 Women's Clothing",
      "cate-002 Men's Clothing",
      'cate-003 Health & Beauty',
      'cate-004 Home & Garden',
      'cate-005 Sports Goods',
      "cate-006 Women's Shoes",
      "cate-007 Men's Shoes",
      'cate-008 Books',
    ]);
  });

  it('gives every category 7 or 8 products whose ids carry the category number', () => {
    for (const category of CATEGORIES) {
      const products = PRODUCTS.filter((p) => p.categoryId === category.id);
      expect(products.length).toBeGreaterThanOrEqual(7);
      expect(products.length).toBeLessThanOrEqual(8);
      for (const product of products) expect(product.id).toMatch(new RegExp(`^p-${category.id.slice(-3)}-\\d{4}$`));
    }
  });

  it('has unique ids and names, and positive whole-cent prices', () => {
    expect(new Set(PRODUCTS.map((p) => p.id)).size).toBe(PRODUCTS.length);
    expect(new Set(PRODUCTS.map((p) => p.name)).size).toBe(PRODUCTS.length);
    for (const product of PRODUCTS) {
      expect(Number.isInteger(product.priceCents)).toBe(true);
      expect(product.priceCents).toBeGreaterThan(0);
    }
  });

  it('finds products and categories by id, and nothing for unknown ids', () => {
    expect(findProduct('p-008-0002')?.name).toBe('The Pragmatic Programmer');
    expect(findProduct('p-009-0001')).toBeUndefined();
    expect(findCategory('cate-004')?.name).toBe('Home & Garden');
    expect(findCategory('cate-000')).toBeUndefined();
  });
});
