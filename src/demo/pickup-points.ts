/** Ten parcel pickup points at stations and kiosks of the biggest cities (true coordinates). */
export const PICKUP_POINTS = [
  { code: 'pp-madrid-atocha', name: 'Taquilla Estación de Atocha', lat: 40.4066, lng: -3.6892, line1: 'Glorieta del Emperador Carlos V', city: 'Madrid', postal_code: '28045', country: 'ES' },
  { code: 'pp-madrid-chamartin', name: 'Taquilla Estación de Chamartín', lat: 40.4722, lng: -3.6825, line1: 'Calle de Agustín de Foxá', city: 'Madrid', postal_code: '28036', country: 'ES' },
  { code: 'pp-madrid-olavide', name: 'Quiosco Plaza de Olavide', lat: 40.433, lng: -3.7028, line1: 'Plaza de Olavide 1', city: 'Madrid', postal_code: '28010', country: 'ES' },
  { code: 'pp-barcelona-sants', name: 'Taquilla Estació de Sants', lat: 41.3791, lng: 2.1404, line1: 'Plaça dels Països Catalans', city: 'Barcelona', postal_code: '08014', country: 'ES' },
  { code: 'pp-barcelona-gracia', name: 'Punt de recollida Gràcia', lat: 41.4036, lng: 2.157, line1: 'Carrer Gran de Gràcia 180', city: 'Barcelona', postal_code: '08012', country: 'ES' },
  { code: 'pp-valencia-nord', name: 'Taquilla Estació del Nord', lat: 39.4666, lng: -0.3774, line1: 'Carrer de Xàtiva 24', city: 'Valencia', postal_code: '46007', country: 'ES' },
  { code: 'pp-sevilla-santa-justa', name: 'Taquilla Estación Santa Justa', lat: 37.3919, lng: -5.9754, line1: 'Avenida de Kansas City', city: 'Sevilla', postal_code: '41007', country: 'ES' },
  { code: 'pp-lisboa-oriente', name: 'Cacifo Gare do Oriente', lat: 38.7679, lng: -9.0989, line1: 'Avenida Dom João II', city: 'Lisboa', postal_code: '1990-233', country: 'PT' },
  { code: 'pp-lisboa-rossio', name: 'Cacifo Estação do Rossio', lat: 38.7144, lng: -9.1411, line1: 'Rua 1º de Dezembro', city: 'Lisboa', postal_code: '1200-359', country: 'PT' },
  { code: 'pp-porto-sao-bento', name: 'Cacifo Estação de São Bento', lat: 41.1456, lng: -8.6105, line1: 'Praça de Almeida Garrett', city: 'Porto', postal_code: '4000-069', country: 'PT' },
] as const;
