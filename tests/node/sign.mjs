// Signs a credential with Digital Bazaar's implementation, so our verifier is checked against theirs too.
//
//   node tests/node/sign.mjs BUNDLE.json   (BUNDLE: {"credential": {...unsigned...}, "contexts": {url: path}})
//
// The issuer is a fresh did:key (Ed25519 Multikey); `issuer` (a string or an object's `id`) is set to it.
// Prints the signed credential (JSON).
import {readFileSync} from 'node:fs';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = new Map();
for(const [url, path] of Object.entries(bundle.contexts || {})) {
  documents.set(url, JSON.parse(readFileSync(path, 'utf8')));
}

const keyPair = await Ed25519Multikey.generate();
const did = `did:key:${keyPair.publicKeyMultibase}`;
keyPair.controller = did;
keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;

async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  throw new Error(`Not available offline: ${url}`);
}

const credential = bundle.credential;
if(typeof credential.issuer === 'object') {
  credential.issuer.id = did;
} else {
  credential.issuer = did;
}
const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
const signed = await vc.issue({credential, suite, documentLoader});
process.stdout.write(JSON.stringify(signed) + '\n');
