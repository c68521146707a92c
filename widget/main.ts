// Entry of the IIFE bundle served at /widget.js. Runs once, synchronously, so `currentScript`
// still points at our own <script> tag when boot reads its data-* attributes.
import { boot } from './boot.js';
import { startWidget } from './start.js';

boot(window, (config) => startWidget(config, { win: window }));
