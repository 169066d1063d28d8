// Search over what a face carries (docs/search.md).
export {
  bigramTokens,
  segmentTokens,
  tsvectorLiteral,
  lexeme as searchLexeme,
  MAX_POSITION,
  type WeightedText,
} from './tokens.js';
export { parseQuery, MAX_QUERY_CHARS, type SearchQuery, type Highlighted } from './query.js';
export { highlight, snippet, matchRanges, type HighlightPart } from './highlight.js';
export {
  searchDocument,
  MAX_INDEXED_CHARS,
  SEARCH_PER_PAGE,
  MAX_SEARCH_PAGE,
  RANKED_MATCHES,
  SEARCH_COUNT_CAP,
  SHORT_QUERY_COUNT_CAP,
  type SearchDocument,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
} from './model.js';
export { indexStory, reindexAll, reindexBatch, searchFace, type ReindexCursor } from './service.js';
export { searchFollowsStories } from './events.js';
export { SEARCH_ERRORS } from './errors.js';
