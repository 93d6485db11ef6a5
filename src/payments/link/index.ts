export { StripeLinkProvider, type StripeLinkOptions } from './provider.js';
