// Canonicalises JSON-LD documents as Digital Bazaar's eddsa-rdfc-2022 suite does (jsonld.js toRDF in safe mode,
// rdfDirection i18n-datatype, base null; rdf-canonize RDFC-1.0), fully offline.
//
//   node tests/node/canon_check.mjs BUNDLE.json
//
// BUNDLE: {"documents": {"name": {...JSON-LD...}}, "contexts": {url: path}}
// Prints {"name": {"nquads": "...", "undefinedTerms": "..."} or {"error": "..."}} as JSON.
//
// `undefinedTerms` is "" when every term of the document is defined by its contexts themselves: jsonld.js expands it
// again in safe mode with each context's `@vocab` removed (a `@vocab`, as in the VC examples context or VC 2.0's
// drafts, maps any undefined term to an IRI of its vocabulary: safe mode sees no data loss, so the term is signed,
// but no context defines it); otherwise the error naming the term.
import {readFileSync} from 'node:fs';

import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const contexts = new Map();
for(const [url, path] of Object.entries(bundle.contexts || {})) {
  contexts.set(url, JSON.parse(readFileSync(path, 'utf8')));
}
async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  throw new Error(`Not available offline: ${url}`);
}

// The same contexts without `@vocab`: a term only `@vocab` defines is dropped there, which safe mode reports.
function withoutVocab(value) {
  if(Array.isArray(value)) {
    return value.map(withoutVocab);
  }
  if(value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '@vocab')
      .map(([key, item]) => [key, withoutVocab(item)]));
  }
  return value;
}
async function strictLoader(url) {
  const loaded = await documentLoader(url);
  return {...loaded, document: withoutVocab(loaded.document)};
}

const output = {};
for(const [name, document] of Object.entries(bundle.documents)) {
  try {
    const dataset = await jsonld.toRDF(document, {
      documentLoader, safe: true, base: null, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false
    });
    const nquads = await rdfCanonize.canonize(dataset, {algorithm: 'RDFC-1.0', format: 'application/n-quads'});
    let undefinedTerms = '';
    try {
      await jsonld.expand(withoutVocab(document), {documentLoader: strictLoader, safe: true, base: null});
    } catch(e) {
      undefinedTerms = e.message || String(e);
      if(e.details?.event?.details) {
        undefinedTerms += ` ${JSON.stringify(e.details.event.details)}`;
      }
    }
    output[name] = {nquads, undefinedTerms};
  } catch(e) {
    output[name] = {error: e.message || String(e)};
  }
}
process.stdout.write(JSON.stringify(output) + '\n');
