/**
 * Real Spanish and Portuguese cities with their centres' coordinates and a real shopping street.
 * Ordered by how early a growing chain opens there; `weight` (roughly population) decides where
 * extra stores go when --stores asks for more than one per city.
 */
export interface City {
  name: string;
  country: 'ES' | 'PT';
  region: string;
  lat: number;
  lng: number;
  street: string;
  postal_code: string;
  weight: number;
  timezone: string;
}

export const CITIES: readonly City[] = [
  { name: 'Madrid', country: 'ES', region: 'Comunidad de Madrid', lat: 40.4203, lng: -3.7058, street: 'Gran Vía 32', postal_code: '28013', weight: 33, timezone: 'Europe/Madrid' },
  { name: 'Barcelona', country: 'ES', region: 'Cataluña', lat: 41.3917, lng: 2.1649, street: 'Passeig de Gràcia 45', postal_code: '08007', weight: 16, timezone: 'Europe/Madrid' },
  { name: 'Lisboa', country: 'PT', region: 'Lisboa', lat: 38.7107, lng: -9.1365, street: 'Rua Augusta 120', postal_code: '1100-053', weight: 12, timezone: 'Europe/Lisbon' },
  { name: 'Valencia', country: 'ES', region: 'Comunitat Valenciana', lat: 39.4702, lng: -0.3768, street: 'Carrer de Colón 20', postal_code: '46004', weight: 8, timezone: 'Europe/Madrid' },
  { name: 'Sevilla', country: 'ES', region: 'Andalucía', lat: 37.3921, lng: -5.9946, street: 'Calle Sierpes 40', postal_code: '41004', weight: 7, timezone: 'Europe/Madrid' },
  { name: 'Porto', country: 'PT', region: 'Porto', lat: 41.1469, lng: -8.6060, street: 'Rua de Santa Catarina 150', postal_code: '4000-442', weight: 7, timezone: 'Europe/Lisbon' },
  { name: 'Zaragoza', country: 'ES', region: 'Aragón', lat: 41.6500, lng: -0.8848, street: 'Paseo de la Independencia 18', postal_code: '50004', weight: 6, timezone: 'Europe/Madrid' },
  { name: 'Málaga', country: 'ES', region: 'Andalucía', lat: 36.7196, lng: -4.4214, street: 'Calle Marqués de Larios 8', postal_code: '29005', weight: 6, timezone: 'Europe/Madrid' },
  { name: 'Bilbao', country: 'ES', region: 'País Vasco', lat: 43.2630, lng: -2.9350, street: 'Gran Vía de Don Diego López de Haro 20', postal_code: '48001', weight: 5, timezone: 'Europe/Madrid' },
  { name: 'Murcia', country: 'ES', region: 'Región de Murcia', lat: 37.9847, lng: -1.1285, street: 'Gran Vía Escultor Salzillo 10', postal_code: '30004', weight: 5, timezone: 'Europe/Madrid' },
  { name: 'Palma', country: 'ES', region: 'Illes Balears', lat: 39.5716, lng: 2.6466, street: 'Passeig del Born 15', postal_code: '07012', weight: 4, timezone: 'Europe/Madrid' },
  { name: 'Las Palmas de Gran Canaria', country: 'ES', region: 'Canarias', lat: 28.1020, lng: -15.4154, street: 'Calle Mayor de Triana 60', postal_code: '35002', weight: 4, timezone: 'Atlantic/Canary' },
  { name: 'Alicante', country: 'ES', region: 'Comunitat Valenciana', lat: 38.3436, lng: -0.4874, street: 'Avenida Maisonnave 15', postal_code: '03003', weight: 4, timezone: 'Europe/Madrid' },
  { name: 'Braga', country: 'PT', region: 'Braga', lat: 41.5503, lng: -8.4270, street: 'Rua do Souto 50', postal_code: '4700-329', weight: 3, timezone: 'Europe/Lisbon' },
  { name: 'Córdoba', country: 'ES', region: 'Andalucía', lat: 37.8847, lng: -4.7792, street: 'Calle Cruz Conde 12', postal_code: '14001', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'Valladolid', country: 'ES', region: 'Castilla y León', lat: 41.6520, lng: -4.7286, street: 'Calle Santiago 15', postal_code: '47001', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'Vigo', country: 'ES', region: 'Galicia', lat: 42.2363, lng: -8.7186, street: 'Calle Príncipe 25', postal_code: '36202', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'Coimbra', country: 'PT', region: 'Coimbra', lat: 40.2089, lng: -8.4292, street: 'Rua Ferreira Borges 80', postal_code: '3000-180', weight: 2, timezone: 'Europe/Lisbon' },
  { name: 'Gijón', country: 'ES', region: 'Asturias', lat: 43.5410, lng: -5.6631, street: 'Calle Corrida 10', postal_code: '33206', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'A Coruña', country: 'ES', region: 'Galicia', lat: 43.3692, lng: -8.4028, street: 'Calle Real 40', postal_code: '15003', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'Granada', country: 'ES', region: 'Andalucía', lat: 37.1734, lng: -3.6003, street: 'Calle Recogidas 20', postal_code: '18005', weight: 3, timezone: 'Europe/Madrid' },
  { name: 'Vitoria-Gasteiz', country: 'ES', region: 'País Vasco', lat: 42.8465, lng: -2.6724, street: 'Calle Dato 20', postal_code: '01005', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Faro', country: 'PT', region: 'Faro', lat: 37.0163, lng: -7.9351, street: 'Rua de Santo António 40', postal_code: '8000-283', weight: 2, timezone: 'Europe/Lisbon' },
  { name: 'Elche', country: 'ES', region: 'Comunitat Valenciana', lat: 38.2669, lng: -0.6983, street: 'Calle Corredora 15', postal_code: '03203', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Oviedo', country: 'ES', region: 'Asturias', lat: 43.3614, lng: -5.8493, street: 'Calle Uría 30', postal_code: '33003', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Santander', country: 'ES', region: 'Cantabria', lat: 43.4623, lng: -3.8100, street: 'Calle Burgos 10', postal_code: '39008', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Pamplona', country: 'ES', region: 'Navarra', lat: 42.8169, lng: -1.6432, street: 'Avenida Carlos III 20', postal_code: '31002', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Aveiro', country: 'PT', region: 'Aveiro', lat: 40.6413, lng: -8.6535, street: 'Rua de Coimbra 10', postal_code: '3810-086', weight: 1, timezone: 'Europe/Lisbon' },
  { name: 'Donostia-San Sebastián', country: 'ES', region: 'País Vasco', lat: 43.3190, lng: -1.9830, street: 'Calle San Martín 30', postal_code: '20005', weight: 2, timezone: 'Europe/Madrid' },
  { name: 'Salamanca', country: 'ES', region: 'Castilla y León', lat: 40.9650, lng: -5.6640, street: 'Calle Toro 30', postal_code: '37002', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Burgos', country: 'ES', region: 'Castilla y León', lat: 42.3440, lng: -3.6969, street: 'Calle Santander 10', postal_code: '09003', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Setúbal', country: 'PT', region: 'Setúbal', lat: 38.5243, lng: -8.8926, street: 'Avenida Luísa Todi 200', postal_code: '2900-451', weight: 1, timezone: 'Europe/Lisbon' },
  { name: 'Cádiz', country: 'ES', region: 'Andalucía', lat: 36.5330, lng: -6.2965, street: 'Calle Ancha 15', postal_code: '11001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Logroño', country: 'ES', region: 'La Rioja', lat: 42.4650, lng: -2.4456, street: 'Calle Portales 40', postal_code: '26001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'León', country: 'ES', region: 'Castilla y León', lat: 42.5987, lng: -5.5703, street: 'Calle Ancha 20', postal_code: '24003', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Funchal', country: 'PT', region: 'Madeira', lat: 32.6497, lng: -16.9086, street: 'Rua Dr. Fernão de Ornelas 20', postal_code: '9050-021', weight: 1, timezone: 'Atlantic/Madeira' },
  { name: 'Tarragona', country: 'ES', region: 'Cataluña', lat: 41.1172, lng: 1.2546, street: 'Rambla Nova 60', postal_code: '43001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Girona', country: 'ES', region: 'Cataluña', lat: 41.9831, lng: 2.8249, street: 'Carrer de Santa Clara 30', postal_code: '17001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Guimarães', country: 'PT', region: 'Braga', lat: 41.4425, lng: -8.2918, street: 'Rua de Santo António 30', postal_code: '4800-162', weight: 1, timezone: 'Europe/Lisbon' },
  { name: 'Toledo', country: 'ES', region: 'Castilla-La Mancha', lat: 39.8581, lng: -4.0226, street: 'Calle Comercio 20', postal_code: '45001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Badajoz', country: 'ES', region: 'Extremadura', lat: 38.8786, lng: -6.9703, street: 'Calle Menacho 25', postal_code: '06001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Almería', country: 'ES', region: 'Andalucía', lat: 36.8381, lng: -2.4597, street: 'Paseo de Almería 30', postal_code: '04001', weight: 1, timezone: 'Europe/Madrid' },
  { name: 'Évora', country: 'PT', region: 'Évora', lat: 38.5714, lng: -7.9087, street: 'Rua 5 de Outubro 40', postal_code: '7000-854', weight: 1, timezone: 'Europe/Lisbon' },
  { name: 'Castelló de la Plana', country: 'ES', region: 'Comunitat Valenciana', lat: 39.9864, lng: -0.0513, street: 'Calle Mayor 40', postal_code: '12001', weight: 1, timezone: 'Europe/Madrid' },
];

/** Shopping centres and streets for a city's second and later stores (names are generic on purpose). */
export const EXTRA_SITES = {
  ES: ['Centro Comercial La Vaguada', 'Centro Comercial Gran Plaza', 'Centro Comercial El Corte', 'Centro Comercial Nueva Condomina', 'Calle Mayor', 'Avenida de la Constitución', 'Calle Real', 'Avenida de Andalucía', 'Paseo de la Castellana', 'Calle de Serrano'],
  PT: ['Centro Comercial Colombo', 'NorteShopping', 'Centro Comercial Vasco da Gama', 'Avenida da Liberdade', 'Rua Direita', 'Rua de Cedofeita', 'Avenida da República'],
} as const;

/** The two warehouses: central Spain and the north of Portugal. */
export const WAREHOUSES = [
  { code: 'wh-getafe', name: 'Almacén Central Getafe', lat: 40.3186, lng: -3.7127, address: { line1: 'Calle de la Confianza 2, Polígono Los Olivos', city: 'Getafe', postal_code: '28906', region: 'Comunidad de Madrid', country: 'ES' }, timezone: 'Europe/Madrid' },
  { code: 'wh-maia', name: 'Armazém Norte Maia', lat: 41.2396, lng: -8.6329, address: { line1: 'Rua Eng. Frederico Ulrich 3210, Zona Industrial da Maia', city: 'Maia', postal_code: '4470-605', region: 'Porto', country: 'PT' }, timezone: 'Europe/Lisbon' },
] as const;
