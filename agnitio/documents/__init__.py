"""Documents engine: the only place that makes PDFs.

It owns the Typst templates (`typst/`), the shipped fonts (`fonts/`), rendering (`render.py`,
`services.document_render`), the organisation seal (`seal.py`: PAdES with pyHanko, the platform CA and
uploaded PKCS#12 seals, keys encrypted at rest by `agnitio.core.keystore`) and bulk document jobs with progress
(`DocumentJob`, `DocumentJobItem`, `tasks.py`). The data contract of each document kind is in `README.md`.
"""
