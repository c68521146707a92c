export { StreamDecoder } from './stream-decoder.js';
export { DEFAULT_SPECIAL_TOKENS } from './special-tokens.js';
export { Tokenizer, type EncodeOptions } from './tokenizer.js';
export { TokenizerJson } from './tokenizer-json.js';
export { TrainOptions, train } from './train.js';
