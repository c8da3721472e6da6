export { readGenerationMetadata } from './read-generation-metadata.js';
export type {
  GenerationMetadata,
  GenerationTool,
  ImageFormat,
  ImageMetadataResult,
  MetadataErrorCode,
  MetadataLimits,
  SamplerPass,
} from './read-generation-metadata.js';
export { DEFAULT_METADATA_LIMITS } from './metadata-limits.js';
export { detectImageFormat } from './detect-image-format.js';
export { detectGenerationMetadata } from './detect-generation-metadata.js';
