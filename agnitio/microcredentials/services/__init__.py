"""Writes for micro-credentials, one module per resource: `specifications` (and the provider's page), `awards`
(issuing one or many through the trust layer), `evidence` and `imports` (learners from a spreadsheet). Every
function checks the actor through the selectors/rules, runs in a transaction and writes an audit event."""
