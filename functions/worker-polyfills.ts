/**
 * Globals that @aws-sdk/client-s3 expects in a "browser-like" runtime but workerd does not have.
 *
 * Wrangler resolves the SDK's `browser` field, so XML responses (ListBuckets, ListObjectsV2, errors) are
 * parsed by `@aws-sdk/xml-builder/dist-es/xml-parser.browser.js`, which calls `new DOMParser()` and compares
 * `node.nodeType` with `Node.TEXT_NODE` / `Node.ELEMENT_NODE`. workerd has neither global, so every S3 call
 * fails with "DOMParser is not defined" (https://github.com/aws/aws-sdk-js-v3/issues/7375). We supply
 * @xmldom/xmldom's parser and the DOM node-type constants.
 *
 * Must be evaluated before the SDK parses anything: functions/worker.ts imports this module first.
 */
import { DOMParser as XmlDomParser } from "@xmldom/xmldom";

const NODE_TYPES = Object.freeze({
  ELEMENT_NODE: 1,
  ATTRIBUTE_NODE: 2,
  TEXT_NODE: 3,
  CDATA_SECTION_NODE: 4,
  ENTITY_REFERENCE_NODE: 5,
  ENTITY_NODE: 6,
  PROCESSING_INSTRUCTION_NODE: 7,
  COMMENT_NODE: 8,
  DOCUMENT_NODE: 9,
  DOCUMENT_TYPE_NODE: 10,
  DOCUMENT_FRAGMENT_NODE: 11,
  NOTATION_NODE: 12,
});

const g = globalThis as Record<string, unknown>;
g.DOMParser ??= XmlDomParser;
g.Node ??= NODE_TYPES;
