// Independent check of Agnitio credentials with Digital Bazaar's implementations (not ours), fully offline.
//
//   node tests/node/verify.mjs BUNDLE.json
//
// BUNDLE: {"credential": {...}, "contexts": {"<context URL>": "<path of the shipped file>"},
//          "documents": {"<DID or status list URL>": {...}}}
// Prints {"verified": bool, "error": "...", "status": [{"statusPurpose", "statusListIndex", "status"}]} and exits 0
// when the credential verifies (proof, issuer key in the DID document's assertionMethod, validity period, and its
// Bitstring Status List entries, checked by Digital Bazaar's `@digitalbazaar/vc-bitstring-status-list`: each list
// credential verifies, is issued by the credential's issuer, has the entry's purpose, and the bit is 0),
// 1 otherwise. `documents` are what the document loader serves (e.g. the DID document and status list as the app
// serves them); nothing else is fetched.
import {readFileSync} from 'node:fs';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {checkStatus as bitstringCheckStatus} from '@digitalbazaar/vc-bitstring-status-list';

const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = new Map();
for(const [url, path] of Object.entries(bundle.contexts || {})) {
  documents.set(url, JSON.parse(readFileSync(path, 'utf8')));
}
for(const [url, document] of Object.entries(bundle.documents || {})) {
  documents.set(url, document);
}

async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  const [base, fragment] = url.split('#');
  if(fragment && documents.has(base)) {
    const method = (documents.get(base).verificationMethod || []).find(m => m.id === url);
    if(method) {
      return {contextUrl: null, documentUrl: url, document: {'@context': MULTIKEY_V1, ...method}};
    }
  }
  throw new Error(`Not available offline: ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

let statusProblem = '';
const statuses = [];

// Digital Bazaar's Bitstring Status List check (list credential verified with the same suite and loader, issuers
// matching, purposes matching); it reports each entry's bit, and a set bit means the credential is not valid.
async function checkStatus({credential}) {
  const result = await bitstringCheckStatus({credential, documentLoader, suite});
  if(!result.verified) {
    if(credential === bundle.credential) {
      statusProblem = result.error?.message || 'status not verified';
    }
    return result;
  }
  const set = result.results.filter(r => r.status);
  if(credential === bundle.credential) {
    for(const r of result.results) {
      statuses.push({statusPurpose: r.credentialStatus.statusPurpose,
        statusListIndex: r.credentialStatus.statusListIndex, status: r.status});
    }
  }
  if(set.length) {
    const error = new Error(`credential status: ${set.map(r => r.credentialStatus.statusPurpose).join(', ')}`);
    if(credential === bundle.credential) {
      statusProblem = error.message;
    }
    return {verified: false, error};
  }
  return {verified: true};
}

let output;
try {
  const result = await vc.verifyCredential({
    credential: bundle.credential, suite, documentLoader, checkStatus
  });
  const errors = [].concat(result.error || []).flatMap(e => e.errors || [e]);
  const messages = errors.map(e => e.message || String(e));
  if(statusProblem) {
    messages.push(statusProblem);
  }
  output = {verified: !!result.verified, error: messages.join('; '), status: statuses};
} catch(e) {
  output = {verified: false, error: e.message || String(e)};
}
process.stdout.write(JSON.stringify(output) + '\n');
process.exit(output.verified ? 0 : 1);
