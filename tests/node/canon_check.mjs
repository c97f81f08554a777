// Canonicalises JSON-LD documents as Digital Bazaar's eddsa-rdfc-2022 suite does (jsonld.js toRDF in safe mode,
// rdfDirection i18n-datatype, base null; rdf-canonize RDFC-1.0), fully offline.
//
//   node tests/node/canon_check.mjs BUNDLE.json
//
// BUNDLE: {"documents": {"name": {...JSON-LD...}}, "contexts": {url: path}}
// Prints {"name": {"nquads": "..."} or {"error": "..."}} as JSON.
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

const output = {};
for(const [name, document] of Object.entries(bundle.documents)) {
  try {
    const dataset = await jsonld.toRDF(document, {
      documentLoader, safe: true, base: null, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false
    });
    output[name] = {nquads: await rdfCanonize.canonize(dataset, {algorithm: 'RDFC-1.0', format: 'application/n-quads'})};
  } catch(e) {
    output[name] = {error: e.message || String(e)};
  }
}
process.stdout.write(JSON.stringify(output) + '\n');
