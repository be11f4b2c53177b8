/**
 * The product catalog every part of e-mart enriches orders from. Prices are kept in integer cents so
 * that revenue sums are exact; `price` (dollars) is derived for display and for the wire format.
 *
 * The four products the original e-mart shows in its examples (p-002-0006, p-005-0006, p-007-0001,
 * p-007-0005) keep its names, prices and categories, so an order of them enriches to its example
 * messages exactly (test/fixtures/wire-examples).
 */

export interface Category {
  readonly id: string;
  readonly name: string;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly categoryId: string;
  readonly priceCents: number;
}

type ProductRow = readonly [name: string, priceCents: number];

const CATALOG: ReadonlyArray<readonly [category: Category, products: readonly ProductRow[]]> = [
  [{ id: 'cate-001', name: "Women's Clothing" }, [
    ['Linen Wrap Midi Dress', 6950],
    ['Cropped Denim Jacket', 5400],
    ['Merino Crewneck Sweater', 7800],
    ['High-Rise Wide-Leg Trousers', 4999],
    ['Silk Button-Down Blouse', 8900],
    ['Ribbed Cotton Tank Top', 1450],
    ['Quilted Puffer Vest', 6425],
    ['Pleated Chiffon Skirt', 3875],
  ]],
  [{ id: 'cate-002', name: "Men's Clothing" }, [
    ['Slim Fit Oxford Shirt', 3995],
    ['Stretch Chino Pants', 4450],
    ['Heavyweight Cotton Hoodie', 5200],
    ['Waxed Canvas Field Jacket', 12900],
    ['Performance Polo Shirt', 2875],
    ["Men's Pure Mink Cashmere Turtleneck Sweater Long-sleeved", 3599],
    ['Relaxed Taper Jeans', 5999],
  ]],
  [{ id: 'cate-003', name: 'Health & Beauty' }, [
    ['Hyaluronic Acid Serum 30 ml', 1899],
    ['Mineral Sunscreen SPF 50', 1450],
    ['Bamboo Charcoal Toothbrush 4-Pack', 799],
    ['Argan Oil Hair Mask', 2275],
    ['Vitamin C Brightening Cream', 3150],
    ['Electric Sonic Toothbrush', 5999],
    ['Unscented Body Lotion 500 ml', 1125],
    ['Daily Multivitamin 90 Tablets', 1649],
  ]],
  [{ id: 'cate-004', name: 'Home & Garden' }, [
    ['Ceramic Herb Planter Set', 3450],
    ['Stainless Steel Garden Trowel', 1299],
    ['Soy Wax Candle, Cedar & Sage', 2400],
    ['Cotton Waffle Bath Towel', 1975],
    ['Cast Iron Skillet 10 in', 3695],
    ['Solar Pathway Lights 6-Pack', 4250],
    ['Bamboo Cutting Board', 2199],
  ]],
  [{ id: 'cate-005', name: 'Sports Goods' }, [
    ['Non-Slip Yoga Mat 6 mm', 3299],
    ['Adjustable Dumbbell 25 lb', 11900],
    ['Insulated Water Bottle 32 oz', 2795],
    ['Resistance Band Set', 2450],
    ['Carbon Tennis Racket', 15999],
    ['6180Lbs Breaking Strength Bull Rope 1/2Inch Diameter', 3044],
    ['Speed Jump Rope', 1299],
    ['Foam Recovery Roller', 2999],
  ]],
  [{ id: 'cate-006', name: "Women's Shoes" }, [
    ['Leather Ankle Boots', 12950],
    ['Knit Running Sneakers', 8999],
    ['Suede Ballet Flats', 6400],
    ['Block Heel Sandals', 5750],
    ['Waterproof Hiking Boots', 14500],
    ['Canvas Slip-On Shoes', 4299],
    ['Pointed-Toe Pumps', 9875],
  ]],
  [{ id: 'cate-007', name: "Men's Shoes" }, [
    ['HEYDUDE Wally Stretch - Mens Comfortable Slip on Shoes', 2399],
    ['Trail Running Shoes', 11999],
    ['Suede Chukka Boots', 10950],
    ['Canvas Low-Top Sneakers', 5499],
    ['Vans Mountain Mule Slip On Casual Shoe', 3149],
    ['Waterproof Work Boots', 16900],
    ['Penny Loafers', 11250],
    ['Wool Slippers', 4800],
  ]],
  [{ id: 'cate-008', name: 'Books' }, [
    ['Designing Data-Intensive Applications', 4299],
    ['The Pragmatic Programmer', 3999],
    ['Salt, Fat, Acid, Heat', 2450],
    ['The Overstory', 1899],
    ['A Brief History of Time', 1650],
    ['The Complete Guide to Houseplants', 2875],
    ['Atlas of Remote Islands', 2200],
    ['Thinking in Systems', 1995],
  ]],
];

function productId(categoryId: string, index: number): string {
  return `p-${categoryId.slice(-3)}-${String(index + 1).padStart(4, '0')}`;
}

export const CATEGORIES: readonly Category[] = CATALOG.map(([category]) => category);

export const PRODUCTS: readonly Product[] = CATALOG.flatMap(([category, rows]) =>
  rows.map(([name, priceCents], index) => ({
    id: productId(category.id, index),
    name,
    categoryId: category.id,
    priceCents,
  })),
);

const productsById = new Map(PRODUCTS.map((product) => [product.id, product]));
const categoriesById = new Map(CATEGORIES.map((category) => [category.id, category]));

export function findProduct(id: string): Product | undefined {
  return productsById.get(id);
}

export function findCategory(id: string): Category | undefined {
  return categoriesById.get(id);
}
