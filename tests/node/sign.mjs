// Signs a credential with Digital Bazaar's implementation, so our verifier is checked against theirs too.
//
//   node tests/node/sign.mjs BUNDLE.json
//
// BUNDLE: {"credential": {...unsigned...}, "contexts": {url: path},
//          "suite": "eddsa-rdfc-2022" (default) | "Ed25519Signature2020",
//          "proofs": N (default 1; N > 1 makes a proof set: N proofs by N fresh did:key keys),
//          "chain": false (true: proof i+1 names proof i in `previousProof`, with the document and the previous
//                          proof in what it signs, per W3C Data Integrity 1.0 "Add Proof Set/Chain")}
//
// The issuer is a fresh did:key (Ed25519); `issuer` (a string or an object's `id`) is set to the first key's DID.
// Prints the signed credential (JSON).
import {readFileSync} from 'node:fs';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';

const {AssertionProofPurpose} = jsigs.purposes;

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = new Map();
for(const [url, path] of Object.entries(bundle.contexts || {})) {
  documents.set(url, JSON.parse(readFileSync(path, 'utf8')));
}
async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  throw new Error(`Not available offline: ${url}`);
}

const suiteName = bundle.suite || 'eddsa-rdfc-2022';
const count = bundle.proofs || 1;

async function newSuite(proof) {
  if(suiteName === 'Ed25519Signature2020') {
    const key = await Ed25519VerificationKey2020.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.controller = did;
    key.id = `${did}#${key.publicKeyMultibase}`;
    return {did, suite: new Ed25519Signature2020({key, proof})};
  }
  const keyPair = await Ed25519Multikey.generate();
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
  suite.proof = proof;  // extra proof properties (id, previousProof): createProof starts from `this.proof`
  return {did, suite};
}

const credential = bundle.credential;
const suites = [];
for(let i = 0; i < count; ++i) {
  const options = count > 1 ? {id: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`} : undefined;
  if(bundle.chain && i > 0) {
    options.previousProof = `urn:uuid:00000000-0000-4000-8000-00000000000${i - 1}`;
  }
  suites.push({...await newSuite(options), options});
}
if(typeof credential.issuer === 'object') {
  credential.issuer.id = suites[0].did;
} else {
  credential.issuer = suites[0].did;
}

let signed;
if(!bundle.chain) {
  // vc.issue adds the suite's context if needed; a proof set is several such proofs over the same document.
  signed = await vc.issue({credential, suite: suites[0].suite, documentLoader});
  for(const {suite} of suites.slice(1)) {
    const {proof: _existing, ...unsigned} = signed;
    const again = await vc.issue({credential: unsigned, suite, documentLoader});
    signed.proof = [].concat(signed.proof, again.proof);
  }
} else {
  signed = await vc.issue({credential, suite: suites[0].suite, documentLoader});
  signed.proof = [signed.proof];
  for(const {suite, options} of suites.slice(1)) {
    // The chained proof signs the document with the proof it names (jsonld-signatures would strip `proof`).
    const previous = signed.proof.filter(p => p.id === options.previousProof);
    const input = {...signed, proof: previous};
    const proof = await suite.createProof({
      document: input, purpose: new AssertionProofPurpose(), proofSet: signed.proof, documentLoader
    });
    delete proof['@context'];
    signed.proof.push(proof);
  }
}
process.stdout.write(JSON.stringify(signed) + '\n');
