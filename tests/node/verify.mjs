// Independent check of Agnitio credentials with Digital Bazaar's implementations (not ours), fully offline.
//
//   node tests/node/verify.mjs BUNDLE.json
//
// BUNDLE: {"credential": {...}, "contexts": {"<context URL>": "<path of the shipped file>"},
//          "documents": {"<DID or status list URL>": {...}}}
// Prints {"verified": bool, "error": "..."} and exits 0 when the credential verifies (proof, issuer key in the
// DID document's assertionMethod, validity period, and its Bitstring Status List entry: the list credential is
// verified too and the bit must be 0), 1 otherwise.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

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

function bitAt(encodedList, index) {
  if(!encodedList.startsWith('u')) {
    throw new Error('encodedList is not multibase base64url');
  }
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if(bits.length * 8 < 131072) {
    throw new Error('status list shorter than 131072 bits');
  }
  return (bits[index >> 3] >> (7 - (index & 7))) & 1;
}

let statusProblem = '';

async function checkStatus({credential}) {
  const result = await statusOf({credential});
  if(!result.verified && credential === bundle.credential) {
    statusProblem = result.error.message;
  }
  return result;
}

async function statusOf({credential}) {
  const entries = [].concat(credential.credentialStatus || []);
  for(const entry of entries) {
    const list = documents.get(entry.statusListCredential);
    if(!list) {
      return {verified: false, error: new Error(`status list not available: ${entry.statusListCredential}`)};
    }
    const listResult = await vc.verifyCredential({credential: list, suite, documentLoader});
    if(!listResult.verified) {
      return {verified: false, error: listResult.error || new Error('status list credential did not verify')};
    }
    if(list.credentialSubject.statusPurpose !== entry.statusPurpose) {
      return {verified: false, error: new Error('status purpose mismatch')};
    }
    if(bitAt(list.credentialSubject.encodedList, parseInt(entry.statusListIndex, 10)) === 1) {
      return {verified: false, error: new Error(`credential status: ${entry.statusPurpose}`)};
    }
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
  output = {verified: !!result.verified, error: messages.join('; ')};
} catch(e) {
  output = {verified: false, error: e.message || String(e)};
}
process.stdout.write(JSON.stringify(output) + '\n');
process.exit(output.verified ? 0 : 1);
