/** The fashion assortment the demo draws from: categories, names, colours, sizes and price points. */

export type SizeSystem = 'alpha' | 'shoe_women' | 'shoe_men' | 'kids' | 'one';

/** Sizes and the share of demand each takes (the size curve): M sells most, XS and XL least. */
export const SIZE_CURVES: Record<SizeSystem, { sizes: string[]; weights: number[] }> = {
  alpha: { sizes: ['XS', 'S', 'M', 'L', 'XL'], weights: [0.1, 0.22, 0.3, 0.24, 0.14] },
  shoe_women: { sizes: ['36', '37', '38', '39', '40', '41'], weights: [0.08, 0.16, 0.24, 0.25, 0.17, 0.1] },
  shoe_men: { sizes: ['40', '41', '42', '43', '44', '45', '46'], weights: [0.07, 0.13, 0.2, 0.23, 0.19, 0.12, 0.06] },
  kids: { sizes: ['4Y', '6Y', '8Y', '10Y', '12Y'], weights: [0.17, 0.22, 0.23, 0.21, 0.17] },
  one: { sizes: ['U'], weights: [1] },
};

export interface CategorySpec {
  path: string;
  /** Spanish noun the name starts with. */
  nouns: string[];
  styles: string[];
  materials: string[];
  /** Price points in euros (tax-inclusive), low and high. */
  price: [number, number];
  sizes: SizeSystem;
  weight_g: [number, number];
  /** Share of the assortment. */
  share: number;
}

export const CATEGORIES: readonly CategorySpec[] = [
  { path: 'women/dresses', nouns: ['Vestido'], styles: ['midi', 'largo', 'camisero', 'cruzado', 'de tirantes', 'plisado', 'corto'], materials: ['de lino', 'de algodón', 'de viscosa', 'estampado', 'de punto', 'satinado'], price: [29.95, 89.95], sizes: 'alpha', weight_g: [250, 600], share: 9 },
  { path: 'women/tops', nouns: ['Top', 'Camiseta', 'Blusa'], styles: ['básica', 'de manga corta', 'con lazada', 'cropped', 'de cuello alto', 'oversize'], materials: ['de algodón orgánico', 'de modal', 'de seda', 'de canalé', 'de gasa'], price: [9.95, 39.95], sizes: 'alpha', weight_g: [120, 300], share: 10 },
  { path: 'women/knitwear', nouns: ['Jersey', 'Cárdigan'], styles: ['de ochos', 'de cuello vuelto', 'oversize', 'corto', 'de punto fino'], materials: ['de lana merino', 'de algodón', 'de cachemir', 'de mohair'], price: [25.95, 99.95], sizes: 'alpha', weight_g: [300, 700], share: 6 },
  { path: 'women/jeans', nouns: ['Vaquero'], styles: ['mom fit', 'recto', 'wide leg', 'skinny', 'flare', 'de tiro alto'], materials: ['de denim rígido', 'de denim elástico', 'lavado claro', 'lavado oscuro'], price: [29.95, 59.95], sizes: 'alpha', weight_g: [500, 800], share: 6 },
  { path: 'women/trousers', nouns: ['Pantalón'], styles: ['palazzo', 'cargo', 'de pinzas', 'chino', 'culotte', 'jogger'], materials: ['de lino', 'de algodón', 'fluido', 'de traje'], price: [22.95, 59.95], sizes: 'alpha', weight_g: [300, 600], share: 6 },
  { path: 'women/skirts', nouns: ['Falda'], styles: ['midi', 'plisada', 'de tubo', 'mini', 'cruzada'], materials: ['de satén', 'de lino', 'de punto', 'vaquera'], price: [19.95, 49.95], sizes: 'alpha', weight_g: [200, 450], share: 4 },
  { path: 'women/jackets', nouns: ['Chaqueta', 'Blazer', 'Cazadora'], styles: ['cruzada', 'recta', 'oversize', 'biker', 'acolchada'], materials: ['de lana', 'de piel sintética', 'de tweed', 'vaquera', 'de lino'], price: [39.95, 129.95], sizes: 'alpha', weight_g: [500, 1100], share: 5 },
  { path: 'women/coats', nouns: ['Abrigo', 'Gabardina', 'Plumífero'], styles: ['largo', 'cruzado', 'con capucha', 'oversize', 'entallado'], materials: ['de paño', 'de lana', 'impermeable', 'acolchado'], price: [59.95, 199.95], sizes: 'alpha', weight_g: [900, 1800], share: 3 },
  { path: 'women/shoes/sneakers', nouns: ['Zapatilla'], styles: ['deportiva', 'de plataforma', 'retro', 'de lona', 'running'], materials: ['de piel', 'de lona', 'de ante', 'de malla'], price: [29.95, 89.95], sizes: 'shoe_women', weight_g: [600, 1000], share: 4 },
  { path: 'women/shoes/boots', nouns: ['Bota', 'Botín'], styles: ['de tacón', 'chelsea', 'de caña alta', 'cowboy', 'de cordones'], materials: ['de piel', 'de ante', 'de piel sintética'], price: [49.95, 149.95], sizes: 'shoe_women', weight_g: [900, 1600], share: 3 },
  { path: 'women/shoes/sandals', nouns: ['Sandalia'], styles: ['plana', 'de tacón', 'de tiras', 'de cuña', 'trenzada'], materials: ['de piel', 'de rafia', 'metalizada'], price: [19.95, 69.95], sizes: 'shoe_women', weight_g: [300, 700], share: 3 },
  { path: 'women/accessories/bags', nouns: ['Bolso', 'Bandolera', 'Capazo'], styles: ['shopper', 'de mano', 'mini', 'bombonera', 'saco'], materials: ['de piel', 'de rafia', 'acolchado', 'de nailon'], price: [19.95, 89.95], sizes: 'one', weight_g: [300, 900], share: 3 },
  { path: 'men/tshirts', nouns: ['Camiseta'], styles: ['básica', 'de manga larga', 'estampada', 'oversize', 'henley', 'de cuello redondo'], materials: ['de algodón orgánico', 'de algodón pima', 'de lino', 'de punto flameado'], price: [9.95, 29.95], sizes: 'alpha', weight_g: [150, 300], share: 8 },
  { path: 'men/shirts', nouns: ['Camisa'], styles: ['Oxford', 'slim fit', 'regular fit', 'de cuello mao', 'overshirt', 'de cuadros'], materials: ['de algodón', 'de lino', 'de franela', 'de popelín'], price: [25.95, 59.95], sizes: 'alpha', weight_g: [250, 450], share: 6 },
  { path: 'men/polos', nouns: ['Polo'], styles: ['de piqué', 'de punto', 'de manga larga', 'slim fit'], materials: ['de algodón', 'de algodón mercerizado'], price: [19.95, 45.95], sizes: 'alpha', weight_g: [200, 350], share: 3 },
  { path: 'men/knitwear', nouns: ['Jersey', 'Sudadera', 'Cárdigan'], styles: ['de cuello redondo', 'de cremallera', 'con capucha', 'de ochos'], materials: ['de lana merino', 'de algodón', 'de felpa'], price: [25.95, 79.95], sizes: 'alpha', weight_g: [350, 750], share: 5 },
  { path: 'men/jeans', nouns: ['Vaquero'], styles: ['slim', 'recto', 'relaxed', 'tapered', 'skinny'], materials: ['de denim rígido', 'de denim elástico', 'lavado medio', 'negro'], price: [29.95, 59.95], sizes: 'alpha', weight_g: [550, 850], share: 5 },
  { path: 'men/trousers', nouns: ['Pantalón'], styles: ['chino', 'cargo', 'de traje', 'jogger', 'de pinzas'], materials: ['de algodón', 'de lino', 'de lana fría', 'técnico'], price: [25.95, 69.95], sizes: 'alpha', weight_g: [350, 650], share: 4 },
  { path: 'men/jackets', nouns: ['Cazadora', 'Americana', 'Sobrecamisa'], styles: ['bomber', 'acolchada', 'de traje', 'trucker', 'harrington'], materials: ['de ante', 'de lana', 'vaquera', 'técnica', 'de pana'], price: [45.95, 149.95], sizes: 'alpha', weight_g: [600, 1200], share: 4 },
  { path: 'men/coats', nouns: ['Abrigo', 'Parka', 'Plumífero'], styles: ['largo', 'con capucha', 'cruzado', 'ligero'], materials: ['de paño', 'de lana', 'impermeable', 'acolchado'], price: [69.95, 199.95], sizes: 'alpha', weight_g: [1000, 2000], share: 2 },
  { path: 'men/shoes/sneakers', nouns: ['Zapatilla'], styles: ['deportiva', 'retro', 'minimalista', 'running', 'de baloncesto'], materials: ['de piel', 'de lona', 'de ante', 'de malla'], price: [35.95, 99.95], sizes: 'shoe_men', weight_g: [800, 1300], share: 4 },
  { path: 'men/shoes/boots', nouns: ['Bota', 'Botín'], styles: ['chelsea', 'de montaña', 'desert', 'de cordones'], materials: ['de piel', 'de ante', 'engrasada'], price: [59.95, 149.95], sizes: 'shoe_men', weight_g: [1100, 1800], share: 2 },
  { path: 'men/accessories/belts', nouns: ['Cinturón'], styles: ['clásico', 'trenzado', 'reversible', 'de hebilla'], materials: ['de piel', 'de lona', 'de ante'], price: [15.95, 45.95], sizes: 'one', weight_g: [150, 300], share: 2 },
  { path: 'kids/tshirts', nouns: ['Camiseta'], styles: ['estampada', 'de rayas', 'básica', 'de manga larga'], materials: ['de algodón', 'de algodón orgánico'], price: [5.95, 15.95], sizes: 'kids', weight_g: [80, 180], share: 3 },
  { path: 'kids/trousers', nouns: ['Pantalón', 'Vaquero'], styles: ['jogger', 'cargo', 'recto', 'de chándal'], materials: ['de algodón', 'de denim', 'de felpa'], price: [9.95, 25.95], sizes: 'kids', weight_g: [150, 350], share: 2 },
  { path: 'kids/jackets', nouns: ['Chaqueta', 'Plumífero', 'Sudadera'], styles: ['con capucha', 'acolchada', 'impermeable', 'de cremallera'], materials: ['de algodón', 'acolchada', 'técnica'], price: [15.95, 49.95], sizes: 'kids', weight_g: [250, 600], share: 2 },
];

export const COLOURS = [
  'Negro', 'Blanco', 'Crudo', 'Beige', 'Camel', 'Gris jaspeado', 'Azul marino', 'Azul claro', 'Verde oliva', 'Verde botella',
  'Burdeos', 'Rojo', 'Rosa palo', 'Terracota', 'Mostaza', 'Marrón', 'Caqui', 'Lila', 'Estampado floral', 'Rayas marinas',
] as const;

export const BRANDS = ['Nómada', 'Nómada Studio', 'Nómada Basics', 'Atlântico', 'Nómada Kids'] as const;
